using Microsoft.Extensions.Options;
using Momo.Engine.Runtime;

namespace Momo.Server.Configuration;

/// <summary>
/// Refuses start-up, before the server listens and before LLamaSharp loads anything, when
/// Momo:NativeLibraryPath names no loadable llama.cpp build of the commit LLamaSharp binds. The message names the key
/// and the reason; a wrong library must never get as far as a native call.
/// </summary>
internal sealed class NativeLibraryValidation : IValidateOptions<MomoOptions>
{
    public ValidateOptionsResult Validate(string? name, MomoOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.NativeLibraryPath))
        {
            return ValidateOptionsResult.Skip;
        }
        try
        {
            NativeLibraryProbe.Identify(NativeLibraryFiles.Locate(options.NativeLibraryPath));
            return ValidateOptionsResult.Success;
        }
        catch (NativeLibraryException refused)
        {
            return ValidateOptionsResult.Fail($"{MomoOptions.NativeLibraryPathKey} = '{options.NativeLibraryPath}': {refused.Message}");
        }
    }
}
