using Backprop.Cluster.Hosting;
using Backprop.Nn.Checkpoints;
using Backprop.Nn.Data;
using Backprop.Nn.Settings;
using Backprop.Nn.Training;
using Backprop.Onnx;

namespace Backprop.Cli.Commands;

/// <summary>
/// Turns the errors a user can cause into one line on stderr and an exit code, never a stack
/// trace: 2 for a bad setting or argument, 1 for a bad or missing file, a failed write, a
/// diverged run or a model that cannot be exported.
/// </summary>
internal static class CliErrors
{
    public const int BadSetting = 2;
    public const int Failed = 1;

    public static int Run(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (InvalidSettingException e)
        {
            return Report(error, $"configuration: {e.Message}", BadSetting);
        }
        catch (DataFormatException e)
        {
            return Report(error, $"data: {e.Message}", Failed);
        }
        catch (FileNotFoundException e)
        {
            return Report(error, e.Message, Failed);
        }
        catch (DirectoryNotFoundException e)
        {
            return Report(error, e.Message, Failed);
        }
        catch (CheckpointFormatException e)
        {
            return Report(error, e.Message, Failed);
        }
        catch (CheckpointWriteException e)
        {
            return Report(error, e.Message, Failed);
        }
        catch (OnnxExportException e)
        {
            return Report(error, $"export: {e.Message}", Failed);
        }
        catch (TrainingDivergedException e)
        {
            return Report(error, e.Message, Failed);
        }
        catch (CoordinatorDownedException e)
        {
            return Report(error, e.Message, Failed);
        }
        catch (UnauthorizedAccessException e)
        {
            return Report(error, e.Message, Failed);
        }
        catch (IOException e)
        {
            return Report(error, e.Message, Failed);
        }
    }

    private static int Report(TextWriter error, string message, int code)
    {
        error.WriteLine($"error: {message}");
        return code;
    }
}
