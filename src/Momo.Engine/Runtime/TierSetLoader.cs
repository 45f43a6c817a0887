namespace Momo.Engine.Runtime;

/// <summary>Validates the tier files together (before llama.cpp sees any), then loads each; nothing leaks if one fails.</summary>
public static class TierSetLoader
{
    /// <summary>Loads the target and, when given, the qualifier and the draft; the target's vocabulary serves the text.</summary>
    public static LoadedModel Load(TierLoadOptions target, TierLoadOptions? qualifier, TierLoadOptions? draft)
    {
        ModelPreflight.Check(target.ModelPath, qualifier?.ModelPath, draft?.ModelPath);
        var loaded = new List<ITierModel>();
        try
        {
            LlamaTierModel? LoadOptional(TierLoadOptions? options)
            {
                if (options is null)
                {
                    return null;
                }
                var model = LlamaTierModel.Load(options);
                loaded.Add(model);
                return model;
            }
            var targetModel = LoadOptional(target)!;
            return new LoadedModel(new TierSet(targetModel, LoadOptional(qualifier), LoadOptional(draft)), targetModel.Vocabulary);
        }
        catch
        {
            loaded.ForEach(model => model.Dispose());
            throw;
        }
    }
}
