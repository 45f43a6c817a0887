using Momo.Engine.Runtime;
using Momo.Forge;

namespace Momo.Runtime.Tests;

/// <summary>
/// The chat formats of the families users serve, rendered by llama.cpp from each family's own template text (as its
/// GGUF carries it in tokenizer.chat_template) for a system prompt and two user turns around an assistant turn.
/// </summary>
public sealed class ChatTemplateTests
{
    private static readonly (string Role, string Content)[] Chat =
        [("system", "Tell the tale."), ("user", "Who found the peach?"), ("assistant", "The old woman."), ("user", "Then?")];

    public static TheoryData<string, string, string> Families => new()
    {
        {
            "Llama 3.x",
            "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}",
            "<|start_header_id|>system<|end_header_id|>\n\nTell the tale.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWho found the peach?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nThe old woman.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nThen?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n"
        },
        {
            "ChatML (Qwen)",
            "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
            "<|im_start|>system\nTell the tale.<|im_end|>\n<|im_start|>user\nWho found the peach?<|im_end|>\n<|im_start|>assistant\nThe old woman.<|im_end|>\n"
                + "<|im_start|>user\nThen?<|im_end|>\n<|im_start|>assistant\n"
        },
        {
            "Gemma",
            "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\\n'}}{% endif %}",
            // Gemma has no system role: llama.cpp puts the system prompt at the head of the first user turn.
            "<start_of_turn>user\nTell the tale.\n\nWho found the peach?<end_of_turn>\n<start_of_turn>model\nThe old woman.<end_of_turn>\n"
                + "<start_of_turn>user\nThen?<end_of_turn>\n<start_of_turn>model\n"
        },
        {
            "Phi-3",
            "{% for message in messages %}{% if message['role'] == 'system' %}{{'<|system|>\\n' + message['content'] + '<|end|>\\n'}}{% elif message['role'] == 'user' %}{{'<|user|>\\n' + message['content'] + '<|end|>\\n'}}{% elif message['role'] == 'assistant' %}{{'<|assistant|>\\n' + message['content'] + '<|end|>\\n'}}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% else %}{{ eos_token }}{% endif %}",
            "<|system|>\nTell the tale.<|end|>\n<|user|>\nWho found the peach?<|end|>\n<|assistant|>\nThe old woman.<|end|>\n<|user|>\nThen?<|end|>\n<|assistant|>\n"
        },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void A_family_template_renders_system_and_multi_turn_chats_in_its_own_format(string family, string template, string expected)
    {
        Assert.True(ChatTemplates.Renders(template), $"{family}: llama.cpp did not recognise the template");
        Assert.Equal(expected, ChatTemplates.TryRender(template, Chat));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void A_forged_gguf_carrying_the_family_template_renders_chats_in_that_format(string family, string template, string expected)
    {
        var directory = Directory.CreateTempSubdirectory("momo-template-").FullName;
        try
        {
            var forged = FamilyForge.Forge(directory, FamilyPreset.Tiny with { Name = "tiny-template", ChatTemplate = template }, seed: 7);
            using var target = LlamaTierModel.Load(new TierLoadOptions("target", forged.TargetPath, 0, KvCells: 256, MaxSequences: 1, Threads: 1, BatchTokens: 64));

            Assert.False(target.Vocabulary.UsesFallbackTemplate, family);
            Assert.Equal(expected, target.Vocabulary.RenderChat(Chat));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_mistral_template_renders_instruction_blocks_with_every_turn_in_order()
    {
        const string Mistral = "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% endif %}{% endfor %}";

        var rendered = ChatTemplates.TryRender(Mistral, Chat)!;

        Assert.StartsWith("[INST]", rendered.TrimStart(), StringComparison.Ordinal);
        Assert.Equal(2, rendered.Split("[/INST]").Length - 1);
        var order = new[] { "Tell the tale.", "Who found the peach?", "The old woman.", "Then?" }.Select(t => rendered.IndexOf(t, StringComparison.Ordinal)).ToArray();
        Assert.All(order, i => Assert.True(i >= 0));
        Assert.Equal(order.Order(), order);
        Assert.EndsWith("[/INST]", rendered.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_llama_cpp_does_not_know_is_reported_so_the_server_falls_back_to_chatml()
    {
        Assert.False(ChatTemplates.Renders("{{ messages | tojson }} <my own format>"));
        Assert.True(ChatTemplates.Renders(ChatTemplates.Fallback));
    }
}
