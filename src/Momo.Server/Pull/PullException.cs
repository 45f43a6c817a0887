namespace Momo.Server.Pull;

/// <summary>A pull that cannot go on; the message says why in words a user can act on.</summary>
internal sealed class PullException(string message) : Exception(message);
