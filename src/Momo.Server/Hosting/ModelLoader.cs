using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Momo.Engine.Requests;
using Momo.Engine.Runtime;
using Momo.Engine.Telemetry;
using Momo.Server.Configuration;

namespace Momo.Server.Hosting;

/// <summary>
/// Loads the models in the background so /alive answers at once and /health turns ready when loading finishes
/// (a real 8B target takes a while). With no target configured it forges and serves the demo family. A failed load
/// stops the server.
/// </summary>
internal sealed partial class ModelLoader(
    RuntimeHolder holder,
    IOptions<MomoOptions> options,
    IMeterFactory meters,
    IHostApplicationLifetime lifetime,
    IOptions<HostOptions> host,
    ILoggerFactory logs,
    ILogger<ModelLoader> logger,
    RuntimeHooks? hooks = null) // registered by tests only
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // SIGTERM: refuse new work at once, drain the running requests within the host's shutdown timeout
        // (configuration key shutdownTimeoutSeconds, 30 s by default).
        lifetime.ApplicationStopping.Register(() => holder.StartDraining(host.Value.ShutdownTimeout));
        return Task.Run(Load, stoppingToken);
    }

    private void Load()
    {
        try
        {
            var settings = options.Value;
            ChooseNativeLibrary(settings);
            NativeLogging.RouteTo(logs.CreateLogger("llama.cpp"));
            var files = settings.Target is null ? DemoFamily.Ensure(settings, logger) : Configured(settings);
            var budget = settings.KvBudgetMiB is { } mib ? mib * 1024L * 1024L : ContextSizing.DefaultBudgetBytes();
            var context = ContextSizing.Choose(settings.ContextSize, settings.MaxSequences, files, budget);
            if (context.Warning is { } warning)
            {
                LogContextWarning(warning);
            }
            LogContext(context.Size, context.Reason);
            var runtime = ModelRuntime.Load(settings, files, context.Size, meters.Create(EngineMetrics.MeterName), logs, hooks);
            holder.Set(runtime);
            LogNativeLoaded(string.Join(", ", NativeLibrarySelection.LoadedLlamaFiles()));
            if (runtime.Text.UsesFallbackTemplate)
            {
                LogTemplateFallback(files.Target.Path);
            }
            LogReady(runtime.ModelId, runtime.DefaultMode.ToApiName(), files.Target.Path);
        }
        catch (Exception failure)
        {
            // A server that cannot serve its models must not look alive: fail start-up (a non-zero exit code, see
            // StartupExitCode) with the reason, so an orchestrator reports it instead of routing traffic to it.
            holder.Fail(failure.Message);
            LogFailure(failure);
            // Stopping while the host is still starting would cancel its start-up half-way; stop once it has started.
            lifetime.ApplicationStarted.Register(lifetime.StopApplication);
        }
    }

    // A file the checks refused is the operator's to fix, and the message names the file and the problem: one line.
    // Anything else is unexpected, so its stack trace is worth the noise.
    private void LogFailure(Exception failure)
    {
        if (failure is ModelLoadException)
        {
            LogFailed(failure.Message);
            LogFailureDetail(failure);
        }
        else
        {
            LogFailedUnexpectedly(failure.Message, failure);
        }
    }

    // Options validation has already identified the build; this hands it to LLamaSharp before the first native call.
    private void ChooseNativeLibrary(MomoOptions settings)
    {
        if (string.IsNullOrWhiteSpace(settings.NativeLibraryPath))
        {
            return;
        }
        try
        {
            var build = NativeLibrarySelection.Use(settings.NativeLibraryPath);
            LogNativeChosen(build.Files.Llama, build.GgmlVersion, build.Commit);
            if (build.Modified)
            {
                LogNativeModified(build.Commit);
            }
        }
        catch (NativeLibraryException refused)
        {
            throw new InvalidOperationException($"{MomoOptions.NativeLibraryPathKey}: {refused.Message}", refused);
        }
    }

    private static ResolvedTiers Configured(MomoOptions settings) =>
        new(settings.Target!, settings.Qualifier, settings.Draft, IsDemo: false);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving model {ModelId} (default mode {Mode}); target {TargetPath}")]
    private partial void LogReady(string modelId, string mode, string targetPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "llama.cpp library chosen by Momo:NativeLibraryPath: {Path} (ggml {Version}, commit {Commit})")]
    private partial void LogNativeChosen(string path, string version, string commit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chosen llama.cpp library was built with local changes in ggml/ (commit stamp {Commit})")]
    private partial void LogNativeModified(string commit);

    [LoggerMessage(Level = LogLevel.Information, Message = "llama.cpp library in use: {Files}")]
    private partial void LogNativeLoaded(string files);

    [LoggerMessage(Level = LogLevel.Information, Message = "Context per sequence: {ContextSize} tokens: {Reason}")]
    private partial void LogContext(int contextSize, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private partial void LogContextWarning(string warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model {TargetPath} has no chat template llama.cpp can render; chats are rendered as ChatML")]
    private partial void LogTemplateFallback(string targetPath);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Loading the models failed, stopping: {Reason}")]
    private partial void LogFailed(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The model files were refused")]
    private partial void LogFailureDetail(Exception failure);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Loading the models failed, stopping: {Reason}")]
    private partial void LogFailedUnexpectedly(string reason, Exception failure);
}
