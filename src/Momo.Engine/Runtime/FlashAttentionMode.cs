namespace Momo.Engine.Runtime;

/// <summary>Whether llama.cpp computes attention with its fused flash-attention kernel (llama-server's <c>-fa</c>).</summary>
public enum FlashAttentionMode
{
    /// <summary>llama.cpp decides per device (its default, and llama-server's): on wherever the backend supports it.</summary>
    Auto,

    /// <summary>Always the fused kernel.</summary>
    Enabled,

    /// <summary>Never the fused kernel. On a CPU it can be many times faster for models with narrow heads: a forged agent
    /// family with 24-wide heads prefilled 4,096 tokens at 1,513 tok/s without it and 139 tok/s with it.</summary>
    Disabled,
}
