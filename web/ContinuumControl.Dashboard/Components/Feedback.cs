using ContinuumControl.Dashboard.ServiceClient;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace ContinuumControl.Dashboard.Components;

/// <summary>How an action tells the user its outcome: a snackbar whose text carries a stable test hook.</summary>
public static class Feedback
{
    public static void Say(ISnackbar snackbar, Severity severity, string testId, string text) =>
        snackbar.Add(Message(testId, text), severity);

    /// <summary>Why the control plane refused (its words), or that the request did not get there.</summary>
    public static string Reason(Exception error) => error is ControlPlaneException
        ? error.Message
        : $"the request did not reach the control plane ({error.Message}); try again.";

    // A fragment rather than a string so the message carries a stable test hook.
    private static RenderFragment Message(string testId, string text) => (RenderTreeBuilder builder) =>
    {
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "data-testid", testId);
        builder.AddContent(2, text);
        builder.CloseElement();
    };
}
