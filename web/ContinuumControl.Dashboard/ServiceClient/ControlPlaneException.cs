namespace ContinuumControl.Dashboard.ServiceClient;

/// <summary>The control plane refused an action; the message says why and what to do.</summary>
public sealed class ControlPlaneException(string message) : Exception(message);
