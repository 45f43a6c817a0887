using Microsoft.Extensions.Options;
using Momo.Testing;

namespace Momo.Server.Tests.Hosting;

/// <summary>Momo:DemoFamily is checked by options validation, before anything is forged or loaded.</summary>
public sealed class DemoFamilyStartupTests
{
    [Fact]
    public async Task An_unknown_demo_family_refuses_start_up_naming_the_setting_and_the_presets()
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?> { ["Momo:DemoFamily"] = "no-such-preset" }));

        Assert.Contains("Momo:DemoFamily", refused.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-preset", refused.Message, StringComparison.Ordinal);
        Assert.Contains("agent", refused.Message, StringComparison.Ordinal);
    }
}
