using Bunit.TestDoubles;
using ContinuumControl.Dashboard.ServiceClient;
using ContinuumControl.Dashboard.Tests.Fakes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ContinuumControl.Dashboard.Tests;

/// <summary>A bUnit context set up as an interactive circuit with MudBlazor and a <see cref="FakeControlPlaneClient"/>.</summary>
public abstract class DashboardTestContext : BunitContext, IAsyncLifetime
{
    protected DashboardTestContext()
    {
        // Generous for a loaded 2-core CI machine; passing waits return as soon as they hold.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<IControlPlaneClient>(Client);
        Services.AddSingleton<INodeCredentialsClient>(NodeCredentials);
        Services.AddSingleton(TimeProvider.System);
        Authorization = AddAuthorization();
        Authorization.SetAuthorized("operator");
        Authorization.SetPolicies(DashboardPolicies.Change);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>Signed in as an operator who may change the cluster; a read-only test calls <c>SetPolicies()</c> with none.</summary>
    protected BunitAuthorizationContext Authorization { get; }

    protected FakeControlPlaneClient Client { get; } = new();

    protected FakeNodeCredentialsClient NodeCredentials { get; } = new();

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that only implement IAsyncDisposable; xunit 2 would otherwise dispose synchronously.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>Renders the MudBlazor providers (popovers, dialogs, snackbars) that pages rely on.</summary>
    protected IRenderedComponent<IComponent> RenderProviders() => Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(2);
        builder.CloseComponent();
    });
}
