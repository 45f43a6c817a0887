using Microsoft.Extensions.Options;
using Momo.Forge;

namespace Momo.Server.Configuration;

/// <summary>Refuses start-up when Momo:DemoFamily names no built-in forge preset, listing the ones that exist, before
/// anything is forged or loaded.</summary>
internal sealed class DemoFamilyValidation : IValidateOptions<MomoOptions>
{
    public ValidateOptionsResult Validate(string? name, MomoOptions options) =>
        FamilyPreset.All.Any(p => string.Equals(p.Name, options.DemoFamily, StringComparison.OrdinalIgnoreCase))
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{MomoOptions.Section}:{nameof(MomoOptions.DemoFamily)} = '{options.DemoFamily}' is not a forge preset; known: "
                + string.Join(", ", FamilyPreset.All.Select(p => p.Name)));
}
