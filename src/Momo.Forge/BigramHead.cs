namespace Momo.Forge;

/// <summary>The bigram language model of the corpus that the output head encodes: for every context class x and
/// emittable token y, logit(y | x) = s · log P(y | x) with add-k smoothing over emittable tokens and s the preset's
/// logit scale; non-emittable tokens get s · <see cref="Forbidden"/>. Each row's top-1 is raised so it beats top-2 by at least the preset's tie margin, with ties
/// broken by count then lowest id, so greedy decoding is deterministic and robust to floating point noise.</summary>
internal static class BigramHead
{
    /// <summary>Logit of tokens the model must never emit (prefix fragments, bytes, controls other than &lt;|im_end|&gt;).</summary>
    public const float Forbidden = -30f;

    /// <summary>Logits [classes, vocab].</summary>
    public static float[][] Build(ForgeVocabulary vocab, float smoothing, float tieMargin, float scale = 1f)
    {
        var n = vocab.Tokens.Count;
        var counts = new double[vocab.ClassCount][];
        for (var c = 0; c < counts.Length; c++)
        {
            counts[c] = new double[n];
        }

        foreach (var p in vocab.Paragraphs)
        {
            for (var i = 0; i + 1 < p.Length; i++)
            {
                counts[vocab.ClassOf[p[i]]][p[i + 1]] += 1;
            }
            // What follows a finished turn is a new paragraph, so <|im_end|> predicts like the newline that starts one
            // (otherwise its row would be flat and greedy decoding would repeat <|im_end|> forever).
            counts[vocab.ClassOf[vocab.EndOfTurn]][p[1]] += 1;
        }
        var rows = new float[vocab.ClassCount][];
        for (var c = 0; c < rows.Length; c++)
        {
            var row = rows[c] = Enumerable.Repeat(scale * Forbidden, n).ToArray();
            var total = vocab.Emittable.Sum(y => counts[c][y]) + smoothing * vocab.Emittable.Count;
            foreach (var y in vocab.Emittable)
            {
                row[y] = scale * (float)Math.Log((counts[c][y] + smoothing) / total);
            }

            WidenTopMargin(row, counts[c], vocab.Emittable, tieMargin);
        }
        return rows;
    }

    private static void WidenTopMargin(float[] row, double[] counts, IReadOnlyList<int> emittable, float margin)
    {
        // Emittable ids are sorted, so the first maximum found is the lowest id among equal counts.
        var top = emittable[0];
        foreach (var y in emittable)
        {
            if (counts[y] > counts[top])
            {
                top = y;
            }
        }

        var second = emittable.Where(y => y != top).Max(y => row[y]);
        row[top] = Math.Max(row[top], second + margin);
    }
}
