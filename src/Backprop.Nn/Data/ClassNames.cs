using System.Collections.ObjectModel;
using System.Globalization;

namespace Backprop.Nn.Data;

/// <summary>Class-name lists for datasets whose files carry only class indices.</summary>
public static class ClassNames
{
    /// <summary>Fashion-MNIST's ten classes, in label order (Zalando Research).</summary>
    public static IReadOnlyList<string> FashionMnist { get; } = Array.AsReadOnly(
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]);

    /// <summary>The names <c>"0"</c>..<c>count − 1</c>, for labels that are their own names (MNIST digits).</summary>
    /// <param name="count">Number of classes, at least 1.</param>
    public static ReadOnlyCollection<string> Numbered(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var names = new string[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = i.ToString(CultureInfo.InvariantCulture);
        }

        return Array.AsReadOnly(names);
    }
}
