using Momo.Server.Configuration;
using Microsoft.Extensions.Options;
using Momo.Engine.Requests;
using Momo.Server.Endpoints;
using Momo.Server.Security;
using Momo.Server.Telemetry;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Momo.Server.Hosting;

/// <summary>The server's composition: what Program.cs adds and maps.</summary>
internal static class MomoServiceExtensions
{
    /// <summary>Configuration (models.json, env), options validated on start, logging, the model loader, OpenAPI.</summary>
    public static WebApplicationBuilder AddMomo(this WebApplicationBuilder builder)
    {
        var configFile = Environment.GetEnvironmentVariable("MOMO_CONFIG") ?? "models.json";
        builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: true, reloadOnChange: false);
        builder.Configuration.AddEnvironmentVariables();
        builder.Services.AddOptions<MomoOptions>()
            .Bind(builder.Configuration.GetSection(MomoOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => DecodingModeNames.TryParse(o.DefaultMode, out _), $"Momo:DefaultMode must be one of {DecodingModeNames.AllNames}.")
            .Validate(o => o.Target is null || !string.IsNullOrWhiteSpace(o.Target.Path), "Momo:Target:Path must name a GGUF file.")
            .PostConfigure(o => o.ApiKeys = ApiKeys(o.ApiKeys, builder.Configuration[$"{MomoOptions.Section}:ApiKeys"]))
            .ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<MomoOptions>, NativeLibraryValidation>();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<MomoOptions>, DemoFamilyValidation>();
        builder.Services.AddOptions<LimitOptions>()
            .Bind(builder.Configuration.GetSection(LimitOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Keys are read (and the key file checked) once, at start; only their hashes are kept.
        builder.Services.AddSingleton(services => ApiKeyStore.From(services.GetRequiredService<IOptions<MomoOptions>>().Value));
        builder.Services.AddSerilog((services, logger) =>
        {
            // Request logging is one summary line per request (UseSerilogRequestLogging); the framework's own
            // per-step lines are noise at Information.
            logger.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("llama.cpp", Serilog.Events.LogEventLevel.Warning)
                .ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext();
            if (builder.Configuration.GetValue<bool>("Momo:JsonLogs"))
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console();
            }
        });
        builder.Services.AddSingleton<RuntimeHolder>();
        builder.Services.AddSingleton<Generation.GenerationPipeline>();
        builder.Services.AddSingleton<Dialects.Responses.ResponseStore>();
        builder.Services.AddHostedService<ModelLoader>();
        builder.Services.AddMomoHealthChecks();
        // The OpenAPI document describes the wire format: OpenAI's snake_case, numbers as numbers.
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            json.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, Contracts.MomoJsonContext.Default);
        });
        builder.Services.AddOpenApi();
        builder.Services.AddMomoTelemetry();
        return builder;
    }

    // Momo__ApiKeys=a,b (one variable, not Momo__ApiKeys__0) binds no array element; silently serving without keys
    // would be the worst reading of it, so a single value is read as a comma-separated list.
    private static IReadOnlyList<string>? ApiKeys(IReadOnlyList<string>? bound, string? single) =>
        string.IsNullOrWhiteSpace(single)
            ? bound
            : [.. bound ?? [], .. single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    // Probes poll every few seconds: log them only when debugging. Client errors are warnings, server errors errors.
    private static LogEventLevel RequestLogLevel(HttpContext http, double elapsedMs, Exception? failure) =>
        http.Request.Path.StartsWithSegments("/health") || http.Request.Path.StartsWithSegments("/alive") || http.Request.Path.StartsWithSegments("/metrics")
            ? LogEventLevel.Debug
            : failure is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error
            : http.Response.StatusCode >= 400 ? LogEventLevel.Warning
            : LogEventLevel.Information;

    /// <summary>
    /// Middleware and routes: /v1 (OpenAI API), /health, /alive, /openapi/v1.json, /swagger. Errors are rendered
    /// outermost so the key check and the body limit answer in OpenAI's shape; the key check runs before the body
    /// limit so an unauthenticated client learns nothing about limits.
    /// </summary>
    public static WebApplication MapMomo(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options => options.GetLevel = RequestLogLevel);
        app.UseStatusCodePages(StatusCodeErrors.WriteAsync);
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseMiddleware<BodySizeLimitMiddleware>();
        app.MapOpenApi();
        app.UseSwaggerUI(options => options.SwaggerEndpoint("/openapi/v1.json", "momo-kibidango"));
        var v1 = app.MapGroup("/v1").WithTags("OpenAI");
        v1.MapChatCompletions();
        v1.MapCompletions();
        v1.MapMessages();
        v1.MapResponses();
        v1.MapModels();
        v1.MapFallback(NotFoundFallback.Handle);
        app.MapTokenizer();
        app.MapHealth();
        app.MapMomoMetrics();
        return app;
    }

    /// <summary>
    /// Runs the server until it stops; returns the process's exit code: 1 when a setting is invalid (before anything
    /// starts) or the models failed to load (the host then stops cleanly, so without this a supervisor would read the
    /// failure as success), else 0.
    /// </summary>
    public static int RunMomo(this WebApplication app)
    {
        if (StartupConfiguration.Refusal(app.Services) is { } refusal)
        {
            StartupConfiguration.LogRefusal(app.Logger, refusal);
            return 1;
        }
        // Run disposes the services, so the holder is taken first.
        var holder = app.Services.GetRequiredService<RuntimeHolder>();
        app.Run();
        return holder.LoadError is null ? 0 : 1;
    }
}
