using ContinuumControl.Dashboard.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuumControl.Dashboard.Tests.Components.Pages;

public sealed class LoginPageTests : DashboardTestContext
{
    public LoginPageTests() => SetRendererInfo(new RendererInfo("Static", isInteractive: false));

    private IRenderedComponent<Login> RenderAt(string uri)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        return Render<Login>();
    }

    [Fact]
    public void Render_Form_PostsTokenToAuthLogin()
    {
        var cut = RenderAt("login?ReturnUrl=%2Fworkloads%2Fabc");

        var form = cut.Find("form[data-testid=login-form]");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("/auth/login", form.GetAttribute("action"));
        var token = form.QuerySelector("input[name=token]");
        Assert.NotNull(token);
        Assert.Equal("password", token.GetAttribute("type"));
        Assert.Equal("/workloads/abc", form.QuerySelector("input[name=returnUrl]")?.GetAttribute("value"));
        Assert.Contains("API token", cut.Markup);
        Assert.Contains("printed by the server at first start and saved in data/bootstrap-token", cut.Markup);
        Assert.Empty(cut.FindAll("[data-testid=login-error]"));
    }

    [Fact]
    public void Render_ErrorInQuery_ShowsErrorAlert()
    {
        var cut = RenderAt("login?error=That%20token%20is%20not%20valid.");

        Assert.Contains("That token is not valid.", cut.Find("[data-testid=login-error]").TextContent);
    }

    [Fact]
    public void Render_ForeignReturnUrl_FallsBackToRoot()
    {
        var cut = RenderAt("login?ReturnUrl=https%3A%2F%2Fevil.example%2F");

        Assert.Equal("/", cut.Find("input[name=returnUrl]").GetAttribute("value"));
    }
}
