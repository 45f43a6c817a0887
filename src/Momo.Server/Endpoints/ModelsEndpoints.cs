using Momo.Engine.Requests;
using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Hosting;
using Momo.Server.Validation;

namespace Momo.Server.Endpoints;

/// <summary>GET /v1/models and GET /v1/models/{id}.</summary>
internal static class ModelsEndpoints
{
    public static IEndpointRouteBuilder MapModels(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/models", List)
            .WithName("ListModels")
            .WithSummary("Lists the served model (the pyramid of three tiers is one model).")
            .Produces<ModelList>();
        routes.MapGet("/models/{id}", Get)
            .WithName("GetModel")
            .WithSummary("Describes one model.")
            .Produces<ModelList>()
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        return routes;
    }

    private static IResult List(RuntimeHolder holder) =>
        TypedResults.Json(new ModelList("list", [Card(holder.Require())]), MomoJsonContext.Default.ModelList);

    private static IResult Get(string id, RuntimeHolder holder)
    {
        var runtime = holder.Require();
        GenerationRequestFactory.CheckModel(id, runtime);
        return TypedResults.Json(Card(runtime), MomoJsonContext.Default.ModelCard);
    }

    private static ModelCard Card(ModelRuntime runtime) => new(
        runtime.ModelId,
        "model",
        Created: 0,
        OwnedBy: "momo-kibidango",
        new ModelTiers(File(runtime.Files.Target)!, File(runtime.Files.Qualifier), File(runtime.Files.Draft), runtime.DefaultMode.ToApiName()));

    // The file's name says which model a tier is; its folder would only tell a client about the server's disk.
    private static TierFile? File(TierOptions? tier) => tier is null
        ? null
        : new TierFile(Path.GetFileName(tier.Path), new FileInfo(tier.Path) is { Exists: true } file ? file.Length : null);
}
