namespace Momo.Forge.Bpe;

/// <summary>The special tokens and chat templates of the formats the BPE families imitate, as the real models' GGUF
/// files carry them.</summary>
internal static class ChatFormats
{
    /// <summary>Llama 3.1's 256 special tokens, in order (ids 128000.. in the real model, after the ranks here).</summary>
    public static IReadOnlyList<string> Llama3Specials { get; } = BuildLlama3();

    /// <summary>Llama 3's header format: each message is a header, two newlines, the text and &lt;|eot_id|&gt;.</summary>
    public const string Llama3Template =
        "{{- bos_token }}{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' "
        + "+ message['content'] | trim + '<|eot_id|>' }}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    /// <summary>Qwen2.5's special tokens in this order (ids 151643.. in the real model).</summary>
    public static IReadOnlyList<string> ChatMlSpecials { get; } = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    /// <summary>ChatML, as Qwen writes it.</summary>
    public const string ChatMlTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private static List<string> BuildLlama3()
    {
        List<string> named =
        [
            "<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
            "<|finetune_right_pad_id|>", "<|reserved_special_token_2|>", "<|start_header_id|>", "<|end_header_id|>",
            "<|eom_id|>", "<|eot_id|>", "<|python_tag|>",
        ];
        for (var reserved = 3; named.Count < 256; reserved++)
        {
            named.Add($"<|reserved_special_token_{reserved}|>");
        }
        return named;
    }
}
