namespace Momo.Engine.Sampling;

/// <summary>
/// Top-k by a min-heap of the k best ids (worst at the root): O(vocab log k) with no sort and no
/// allocation, since top-k runs per position per tier over vocabularies of up to ~150,000 tokens.
/// </summary>
internal static class TopKSelection
{
    /// <summary>Sets every logit outside the top heap.Length to −∞, using <paramref name="heap"/> as scratch.</summary>
    public static void Keep(Span<float> logits, Span<int> heap)
    {
        var k = heap.Length;
        for (var i = 0; i < k; i++)
        {
            heap[i] = i;
            SiftUp(heap, i, logits);
        }

        for (var i = k; i < logits.Length; i++)
        {
            if (Better(logits, i, heap[0]))
            {
                heap[0] = i;
                SiftDown(heap, 0, logits);
            }
        }

        // The root is the k-th best; ranking is a total order, so "not worse than the root" is exactly the top k.
        var cut = heap[0];
        for (var i = 0; i < logits.Length; i++)
        {
            if (i != cut && !Better(logits, i, cut))
            {
                logits[i] = float.NegativeInfinity;
            }
        }
    }

    /// <summary>Total ranking: larger value first, then lower id.</summary>
    internal static bool Better(ReadOnlySpan<float> values, int a, int b) =>
        values[a] > values[b] || (values[a] == values[b] && a < b);

    private static void SiftUp(Span<int> heap, int index, ReadOnlySpan<float> values)
    {
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (!Better(values, heap[parent], heap[index]))
            {
                return;
            }

            (heap[parent], heap[index]) = (heap[index], heap[parent]);
            index = parent;
        }
    }

    private static void SiftDown(Span<int> heap, int index, ReadOnlySpan<float> values)
    {
        while (true)
        {
            var worst = index;
            var left = (2 * index) + 1;
            var right = left + 1;
            if (left < heap.Length && Better(values, heap[worst], heap[left]))
            {
                worst = left;
            }

            if (right < heap.Length && Better(values, heap[worst], heap[right]))
            {
                worst = right;
            }

            if (worst == index)
            {
                return;
            }

            (heap[worst], heap[index]) = (heap[index], heap[worst]);
            index = worst;
        }
    }
}
