using ContinuumControl.Server.Hosting;

var app = ControlPlane.Build(args);
await ControlPlane.PrepareAsync(app);
await app.RunAsync();

/// <summary>Entry point type, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
