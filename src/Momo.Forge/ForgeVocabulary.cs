using System.Text;
using Momo.Forge.Corpus;
using Momo.Gguf;

namespace Momo.Forge;

/// <summary>The SPM ("llama") vocabulary forged from the corpus, and the corpus segmented with it.
/// Layout: 0 &lt;unk&gt;, 1 &lt;s&gt;, 2 &lt;/s&gt;, 3 &lt;|im_start|&gt;, 4 &lt;|im_end|&gt;, 5..260 byte tokens, then "▁",
/// every corpus character, and for every word all prefixes of "▁word" and of "word" (so llama.cpp's pairwise merges,
/// longest token first, can always reach the whole word), plus "▁" + punctuation seen after a space.
/// Each "piece" that occurs in the corpus belongs to a context class (one embedding dimension): "▁What" and "What"
/// share a class; punctuation, &lt;|im_end|&gt; and the newline byte (start of paragraph) have their own.</summary>
public sealed class ForgeVocabulary
{
    /// <summary>Ids of the special tokens.</summary>
    public const int Unk = 0, Bos = 1, Eos = 2, ImStart = 3, ImEnd = 4, FirstByte = 5;

    /// <summary>The newline byte token &lt;0x0A&gt;, which starts every paragraph.</summary>
    public const int Newline = FirstByte + 0x0A;

    /// <summary>Token texts by id.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>llama.cpp token types by id.</summary>
    public IReadOnlyList<int> Types { get; }

    /// <summary>SPM merge scores by id (longer tokens score higher).</summary>
    public IReadOnlyList<float> Scores { get; }

    /// <summary>Context class (embedding dimension) of each token, or -1 for tokens with no class of their own.</summary>
    public IReadOnlyList<int> ClassOf { get; }

    /// <summary>Number of context classes.</summary>
    public int ClassCount { get; }

    /// <summary>Tokens the model may emit: corpus pieces and &lt;|im_end|&gt;.</summary>
    public IReadOnlyList<int> Emittable { get; }

    /// <summary>Each paragraph as ids: newline byte, pieces, &lt;|im_end|&gt;.</summary>
    public IReadOnlyList<int[]> Paragraphs { get; }

    /// <summary>tokenizer.ggml.model: "llama" (SPM) or "gpt2" (byte-level BPE).</summary>
    public string TokenizerModel { get; private init; } = "llama";

    /// <summary>tokenizer.ggml.pre (BPE only).</summary>
    public string? PreTokenizer { get; private init; }

    /// <summary>tokenizer.ggml.merges (BPE only), "left right" in priority order.</summary>
    public IReadOnlyList<string> Merges { get; private init; } = [];

    /// <summary>Special token ids written to the metadata.</summary>
    public ForgeSpecials Specials { get; private init; } = new(Bos, ImEnd, ImEnd, null, Unk, Unk, AddBos: true);

    /// <summary>The token that ends a turn (and generation) in the corpus paragraphs.</summary>
    public int EndOfTurn { get; private init; } = ImEnd;

    /// <summary>The chat template the files carry.</summary>
    public string ChatTemplate { get; private init; } = FamilyForge.ChatTemplate;

    /// <summary>Tokens before any padding: every tier has at least these.</summary>
    public int BaseSize { get; private init; }

    /// <summary>What the weights remember of the context beyond the last token (agent family only; see <see cref="ContextMemory"/>).</summary>
    public IReadOnlyList<MemoryCue> Memories { get; private init; } = [];

    /// <summary>Id of a token text; throws naming it when absent.</summary>
    public int Id(string text) => _ids.TryGetValue(text, out var id) ? id : throw new KeyNotFoundException($"token '{text}' is not in the vocabulary");

    /// <summary>Whether the token text exists.</summary>
    public bool Contains(string text) => _ids.ContainsKey(text);

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    private ForgeVocabulary(List<string> tokens, List<int> types, int[] classOf, int classCount, int[] emittable, int[][] paragraphs)
    {
        Tokens = tokens;
        Types = types;
        for (var i = 0; i < tokens.Count; i++)
        {
            _ids[tokens[i]] = i;
        }

        Scores = tokens.Select((t, i) => types[i] == (int)TokenType.Normal ? (float)t.Length : 0f).ToArray();
        ClassOf = classOf;
        ClassCount = classCount;
        Emittable = emittable;
        Paragraphs = paragraphs;
        BaseSize = tokens.Count;
    }

    /// <summary>A byte-level BPE vocabulary (see <see cref="Bpe.BpeVocabulary"/>).</summary>
    internal static ForgeVocabulary ForBpe(
        List<string> tokens, List<int> types, int[] classOf, int classCount, int[] emittable, int[][] paragraphs,
        string preTokenizer, IReadOnlyList<string> merges, ForgeSpecials specials, int endOfTurn, string chatTemplate) =>
        new(tokens, types, classOf, classCount, emittable, paragraphs)
        {
            TokenizerModel = "gpt2", PreTokenizer = preTokenizer, Merges = merges, Specials = specials, EndOfTurn = endOfTurn,
            ChatTemplate = chatTemplate,
        };

    /// <summary>This vocabulary with <paramref name="count"/> unused "[PAD{id}]" tokens appended, as real families pad
    /// their larger models' vocabularies (the model never emits them).</summary>
    public ForgeVocabulary WithPadding(int count)
    {
        if (count == 0)
        {
            return this;
        }
        var tokens = Tokens.Concat(Enumerable.Range(Tokens.Count, count).Select(id => $"[PAD{id}]")).ToList();
        var types = Types.Concat(Enumerable.Repeat((int)TokenType.Unused, count)).ToList();
        var classOf = ClassOf.Concat(Enumerable.Repeat(-1, count)).ToArray();
        return new ForgeVocabulary(tokens, types, classOf, ClassCount, [.. Emittable], [.. Paragraphs])
        {
            TokenizerModel = TokenizerModel, PreTokenizer = PreTokenizer, Merges = Merges, Specials = Specials,
            EndOfTurn = EndOfTurn, ChatTemplate = ChatTemplate, BaseSize = BaseSize, Memories = Memories,
        };
    }

    /// <summary>The agent family's vocabulary: the agent corpus's pieces, its Hermes markers as user-defined tokens, and
    /// its memory cues (<see cref="AgentCorpus.Cues"/>, <see cref="ContextMemory"/>).</summary>
    internal static ForgeVocabulary BuildAgent()
    {
        var vocab = Build(AgentCorpus.Paragraphs(), null, AgentCorpus.Pieces, AgentCorpus.Markers);
        return new ForgeVocabulary([.. vocab.Tokens], [.. vocab.Types], [.. vocab.ClassOf], vocab.ClassCount, [.. vocab.Emittable], [.. vocab.Paragraphs])
        {
            Memories = [.. AgentCorpus.Cues.Select(c => new MemoryCue([.. c.Markers.Select(vocab.Id)], vocab.Id(c.Target), c.Delta, c.Context is null ? null : vocab.Id(c.Context)))],
        };
    }

    /// <summary>Builds the vocabulary from corpus paragraphs, keeping the <paramref name="maxWords"/> most frequent
    /// words (all when null); other words are left out of the vocabulary and of <see cref="Paragraphs"/>.
    /// <paramref name="splitter"/> cuts a paragraph into pieces (default <see cref="WordSplitter.Pieces"/>);
    /// <paramref name="userDefined"/> are whole tokens that llama.cpp matches before splitting text.</summary>
    public static ForgeVocabulary Build(IReadOnlyList<string> paragraphs, int? maxWords,
        Func<string, IEnumerable<string>>? splitter = null, IReadOnlyList<string>? userDefined = null)
    {
        var pieces = paragraphs.Select(p => (splitter ?? WordSplitter.Pieces)(p).ToArray()).ToArray();
        var freq = pieces.SelectMany(p => p).Where(WordSplitter.IsWord).GroupBy(Stem, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var words = freq.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(maxWords ?? int.MaxValue).Select(kv => kv.Key).ToList();

        var tokens = new List<string> { "<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>" };
        var types = new List<int> { (int)TokenType.Unknown, (int)TokenType.Control, (int)TokenType.Control, (int)TokenType.Control, (int)TokenType.Control };
        for (var b = 0; b < 256; b++) { tokens.Add($"<0x{b:X2}>"); types.Add((int)TokenType.Byte); }
        foreach (var marker in userDefined ?? [])
        {
            tokens.Add(marker);
            types.Add((int)TokenType.UserDefined);
        }
        var seen = new HashSet<string>(tokens, StringComparer.Ordinal);
        void Add(string t) { if (seen.Add(t)) { tokens.Add(t); types.Add((int)TokenType.Normal); } }

        Add(WordSplitter.Space);
        foreach (var ch in paragraphs.SelectMany(p => p.EnumerateRunes()).Where(r => !Rune.IsWhiteSpace(r)).Select(r => r.ToString()).Distinct().Order(StringComparer.Ordinal))
        {
            Add(ch);
        }

        foreach (var w in words.Order(StringComparer.Ordinal))
        {
            for (var n = 1; n <= w.Length; n++)
            {
                Add(WordSplitter.Space + w[..n]);
            }

            for (var n = 2; n <= w.Length; n++)
            {
                Add(w[..n]);
            }
        }
        foreach (var p in pieces.SelectMany(p => p).Where(p => !WordSplitter.IsWord(p) && !seen.Contains(p)).Order(StringComparer.Ordinal))
        {
            // Every prefix, so llama.cpp's merges reach a multi-character piece (JSON glue such as "}}\n), except a
            // lone newline: that must stay the byte token that starts a paragraph.
            for (var n = 1; n <= p.Length; n++)
            {
                if (p[..n] != "\n")
                {
                    Add(p[..n]);
                }
            }
        }

        var ids = tokens.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i, StringComparer.Ordinal);
        var segmented = pieces.Select(p => p.Where(ids.ContainsKey).Select(x => ids[x]).Prepend(Newline).Append(ImEnd).ToArray())
            .Where(p => p.Length > 2).ToArray();
        var emitted = segmented.SelectMany(p => p.Skip(1)).Distinct().Order().ToArray();
        var (classOf, classCount) = AssignClasses(tokens, emitted, words, freq);
        return new ForgeVocabulary(tokens, types, classOf, classCount, emitted, segmented);
    }

    // A word piece's class key ignores its ▁ prefix; punctuation keeps it, since an opening quote (after a space)
    // predicts different things than a closing one.
    private static string Stem(string piece) => WordSplitter.IsWord(piece) ? piece.TrimStart('\u2581') : piece;

    private static (int[] ClassOf, int Count) AssignClasses(List<string> tokens, int[] emitted, List<string> words, Dictionary<string, int> freq)
    {
        var classOf = Enumerable.Repeat(-1, tokens.Count).ToArray();
        var classes = new Dictionary<string, int>(StringComparer.Ordinal) { ["\n"] = 0 };
        classOf[Newline] = classOf[Bos] = classOf[ImStart] = 0; // a turn or document start behaves like a paragraph start
        foreach (var id in emitted)
        {
            var key = Stem(tokens[id]);
            if (!classes.TryGetValue(key, out var c))
            {
                classes[key] = c = classes.Count;
            }

            classOf[id] = c;
        }
        // A fragment of a word (e.g. "▁pea") borrows the class of the most frequent word it starts, so an unfinished
        // word still gives the model a plausible context.
        var byFreq = words.OrderByDescending(w => freq[w]).ThenBy(w => w, StringComparer.Ordinal).ToList();
        for (var id = FirstByte + 256; id < tokens.Count; id++)
        {
            if (classOf[id] >= 0)
            {
                continue;
            }

            var stem = tokens[id].TrimStart('\u2581');
            var word = stem.Length == 0 ? null : byFreq.FirstOrDefault(w => w.StartsWith(stem, StringComparison.Ordinal));
            if (word is not null && classes.TryGetValue(word, out var c))
            {
                classOf[id] = c;
            }
        }
        return (classOf, classes.Count);
    }
}

/// <summary>Special token ids a forged vocabulary writes (null: the key is left out).</summary>
public sealed record ForgeSpecials(int? Bos, int Eos, int? Eot, int? Eom, int? Unk, int? Padding, bool AddBos);
