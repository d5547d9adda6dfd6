using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Pages;

namespace ContinuumControl.Dashboard.Tests.Components.Pages;

public sealed class NodeCredentialsPageTests : DashboardTestContext
{
    private readonly NodeCredentialDto _edge = new(Guid.NewGuid(), "edge-1", Guid.NewGuid(), DateTimeOffset.UnixEpoch, null, Connected: true);
    private readonly NodeCredentialDto _cloud = new(Guid.NewGuid(), "cloud-1", Guid.NewGuid(), DateTimeOffset.UnixEpoch, null, Connected: false);

    public NodeCredentialsPageTests()
    {
        NodeCredentials.Credentials.AddRange([_edge, _cloud]);
    }

    [Fact]
    public void Page_ListsEveryNodesCredential_RotateOnlyForConnectedNodes()
    {
        var cut = Render<NodeCredentialsPage>();

        cut.WaitForElement("[data-testid=credential-edge-1]");
        Assert.Contains("never", cut.Find("[data-testid=credential-edge-1]").TextContent);
        Assert.False(cut.Find("[data-testid=credential-edge-1] [data-testid=credential-rotate]").HasAttribute("disabled"));
        Assert.True(cut.Find("[data-testid=credential-cloud-1] [data-testid=credential-rotate]").HasAttribute("disabled"));
    }

    [Fact]
    public void Rotate_CallsTheControlPlane_AndShowsTheNewRotationTime()
    {
        var providers = RenderProviders();
        var cut = Render<NodeCredentialsPage>();

        cut.WaitForElement("[data-testid=credential-edge-1] [data-testid=credential-rotate]").Click();

        Assert.Contains("Rotated the credential of edge-1", providers.WaitForElement("[data-testid=credential-done]").TextContent);
        Assert.Equal([("Rotate", _edge.NodeId)], NodeCredentials.Actions);
        cut.WaitForAssertion(() => Assert.DoesNotContain("never", cut.Find("[data-testid=credential-edge-1]").TextContent));
    }

    [Fact]
    public void Revoke_AsksForConfirmation_ThenRemovesTheNode()
    {
        var providers = RenderProviders();
        var cut = Render<NodeCredentialsPage>();

        cut.WaitForElement("[data-testid=credential-edge-1] [data-testid=credential-revoke]").Click();
        Assert.Empty(NodeCredentials.Actions);
        cut.Find("[data-testid=credential-edge-1] [data-testid=credential-revoke-confirm]").Click();

        Assert.Contains("it is disconnected", providers.WaitForElement("[data-testid=credential-done]").TextContent);
        Assert.Equal([("Revoke", _edge.NodeId)], NodeCredentials.Actions);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=credential-edge-1]")));
    }

    [Fact]
    public void Refusal_ShowsTheControlPlanesReason()
    {
        var providers = RenderProviders();
        NodeCredentials.Refuse = "Node edge-1 did not confirm the new credential; it keeps its old one.";
        var cut = Render<NodeCredentialsPage>();

        cut.WaitForElement("[data-testid=credential-edge-1] [data-testid=credential-rotate]").Click();

        Assert.Contains("did not confirm the new credential", providers.WaitForElement("[data-testid=credential-refused]").TextContent);
    }

    [Fact]
    public void WithoutAdminScope_SaysSo_AndOffersNoActions()
    {
        NodeCredentials.Allowed = false;
        var cut = Render<NodeCredentialsPage>();

        Assert.Contains("admin scope", cut.WaitForElement("[data-testid=credentials-error]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=credential-rotate]"));
    }
}
