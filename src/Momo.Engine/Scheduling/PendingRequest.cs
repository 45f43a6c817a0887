using System.Threading.Channels;
using Momo.Engine.Requests;
using Momo.Engine.Results;

namespace Momo.Engine.Scheduling;

/// <summary>A submitted request waiting for a sequence slot, with the channel its updates go to.</summary>
internal sealed record PendingRequest(
    GenerationRequest Request,
    Channel<GenerationUpdate> Updates,
    long SubmittedTimestamp,
    CancellationToken Cancellation);
