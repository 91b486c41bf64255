namespace Backprop.Cli.Tests.Commands;

/// <summary>
/// Every kind of bad input ends with one specific line on stderr (what, where, what was expected),
/// a non-zero exit code and no stack trace.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void A_missing_data_file_should_be_named()
    {
        var (code, error) = Train("--data", _temp.File("nowhere.csv"));
        Assert.Equal(1, code);
        Assert.Contains("nowhere.csv: no such file or folder", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_idx_file_with_the_wrong_magic_should_say_what_was_found_and_expected()
    {
        byte[] bytes = [0x00, 0x00, 0x08, 0x04, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 42];
        string images = _temp.Write("train-images-idx3-ubyte", bytes);
        _temp.Write("train-labels-idx1-ubyte", [0x00, 0x00, 0x08, 0x01, 0, 0, 0, 1, 3]);
        var (code, error) = Train("--data", images);
        Assert.Equal(1, code);
        Assert.Contains("train-images-idx3-ubyte", error, StringComparison.Ordinal);
        Assert.Contains("magic", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_truncated_idx_file_should_give_the_byte_counts()
    {
        byte[] header = [0x00, 0x00, 0x08, 0x03, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2];
        string images = _temp.Write("train-images-idx3-ubyte", [.. header, 1, 2, 3, 4, 5]);
        _temp.Write("train-labels-idx1-ubyte", [0x00, 0x00, 0x08, 0x01, 0, 0, 0, 2, 0, 1]);
        var (code, error) = Train("--data", images);
        Assert.Equal(1, code);
        Assert.Contains("expected 8", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_csv_value_that_is_not_a_number_should_name_the_line_and_column()
    {
        string csv = _temp.Write("bad.csv", "a,b,label\n1,2,x\n3,oops,y\n");
        var (code, error) = Train("--data", csv);
        Assert.Equal(1, code);
        Assert.Contains("line 3", error, StringComparison.Ordinal);
        Assert.Contains("\"b\"", error, StringComparison.Ordinal);
        Assert.Contains("oops", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ragged_csv_row_should_name_the_line_and_the_counts()
    {
        string csv = _temp.Write("ragged.csv", "a,b,label\n1,2,x\n3,4\n");
        var (code, error) = Train("--data", csv);
        Assert.Equal(1, code);
        Assert.Contains("line 3", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_test_label_the_training_data_does_not_have_should_be_refused()
    {
        string train = _temp.Write("train.csv", "a,b,label\n1,2,x\n3,4,y\n5,6,x\n");
        string test = _temp.Write("test.csv", "a,b,label\n1,2,x\n3,4,z\n");
        var (code, error) = Train("--data", train, "--config", _temp.Write("t.conf", $"backprop.data.test-path = \"{test}\""));
        Assert.Equal(1, code);
        Assert.Contains("\"z\"", error, StringComparison.Ordinal);
        Assert.Contains("line 3", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_config_key_should_be_named_with_a_suggestion()
    {
        var (code, error) = Train("--config", _temp.Write("typo.conf", "backprop.training.epoch = 3"));
        Assert.Equal(2, code);
        Assert.Contains("backprop.training.epoch", error, StringComparison.Ordinal);
        Assert.Contains("backprop.training.epochs", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_activation_should_list_the_known_ones()
    {
        var (code, error) = Train("--config", _temp.Write("act.conf", "backprop.model.layers = [ { units = 8, activation = swish } ]"));
        Assert.Equal(2, code);
        Assert.Contains("backprop.model.layers[0].activation", error, StringComparison.Ordinal);
        Assert.Contains("relu", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_model_file_should_be_reported_as_corrupt()
    {
        string runDir = TrainSmall();
        string model = Path.Combine(runDir, "model.bpm");
        byte[] bytes = File.ReadAllBytes(model);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(model, bytes);

        var (code, _, error) = CliRunner.Run("eval", "--model", model);
        Assert.Equal(1, code);
        Assert.Contains("corrupt", error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("model.bpm", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_foreign_file_given_as_a_model_should_be_refused()
    {
        string notAModel = _temp.Write("notes.txt", "these are not weights");
        var (code, _, error) = CliRunner.Run("eval", "--model", notAModel);
        Assert.Equal(1, code);
        Assert.Contains("notes.txt", error, StringComparison.Ordinal);
        Assert.Contains("not a", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_model_whose_inputs_do_not_match_the_data_should_say_both_sizes()
    {
        string runDir = TrainSmall();
        var (code, _, error) = CliRunner.Run("eval", "--model", runDir, "--data", "builtin:diabetes");
        Assert.Equal(1, code);
        Assert.Contains("784", error, StringComparison.Ordinal);
        Assert.Contains("10 features", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_diverging_loss_should_stop_with_a_message_and_keep_the_last_good_checkpoint()
    {
        string runDir = _temp.File("diverge");
        var (code, _, error) = CliRunner.Run(
            "train", "--data", "builtin:diabetes", "--optimizer", "sgd", "--lr", "100000", "--checkpoint-every", "1", "--run-dir", runDir, "--no-progress");
        Assert.Equal(1, code);
        Assert.Contains("the step was not applied", error, StringComparison.Ordinal);

        // The checkpoint of the last step whose loss was finite is intact and readable.
        var checkpoint = Backprop.Nn.Persistence.TrainingCheckpoint.Load(Path.Combine(runDir, "checkpoint.bpk"));
        Assert.Equal(1, checkpoint.State.Step);
    }

    [Fact]
    public void A_run_folder_that_cannot_be_written_should_be_reported_plainly()
    {
        string blocker = _temp.Write("blocker", "a file where a folder should be");
        var (code, error) = Train("--run-dir", Path.Combine(blocker, "run"));
        Assert.Equal(1, code);
        Assert.Contains("blocker", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_folder_another_run_trains_in_should_be_refused_with_nothing_changed()
    {
        string runDir = TrainSmall();
        var before = Directory.GetFiles(runDir).ToDictionary(f => f, File.ReadAllBytes);

        // Another process's lock, as `backprop train` holds it while it writes the folder.
        using (Backprop.Nn.Jobs.RunFolderLock.Acquire(runDir, "another run"))
        {
            foreach (string[] again in new[] { new[] { "--run-dir", runDir }, new[] { "--resume", "--run-dir", runDir } })
            {
                var (code, error) = Train(again);
                Assert.Equal(1, code);
                Assert.Contains($"the run folder {runDir} is in use", error, StringComparison.Ordinal);
                Assert.Contains("nothing in the folder was changed", error, StringComparison.Ordinal);
            }

            foreach (var (file, bytes) in before.Where(entry => !entry.Key.EndsWith(".lock", StringComparison.Ordinal)))
            {
                Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(file)), $"{file} changed");
            }
        }

        // Free again, the folder trains on.
        var (resumed, _, resumedError) = CliRunner.Run("train", "--resume", "--epochs", "2", "--no-progress", "--run-dir", runDir);
        Assert.True(resumed == 0, resumedError);
    }

    public void Dispose() => _temp.Dispose();

    private (int Code, string Error) Train(params string[] args)
    {
        var (code, _, error) = CliRunner.Run(["train", "--no-progress", "--epochs", "1", .. args, .. args.Contains("--run-dir") ? Array.Empty<string>() : ["--run-dir", _temp.File("run")]]);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        return (code, error);
    }

    private string TrainSmall()
    {
        string runDir = _temp.File("small");
        var (code, _, error) = CliRunner.Run("train", "--epochs", "1", "--no-progress", "--run-dir", runDir);
        Assert.True(code == 0, error);
        return runDir;
    }
}
