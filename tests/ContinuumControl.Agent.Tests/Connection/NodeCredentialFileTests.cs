using ContinuumControl.Agent.Connection;

namespace ContinuumControl.Agent.Tests.Connection;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class NodeCredentialFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cc-credential-tests", Guid.NewGuid().ToString("N"));

    private AgentOptions Options(string joinToken = "ccj_test") => new() { JoinToken = joinToken, DataDirectory = _directory };

    [Fact]
    public void Bearer_BeforeTheFirstRegistration_IsTheJoinToken()
    {
        var file = new NodeCredentialFile(Options());

        Assert.Null(file.Current);
        Assert.Equal("ccj_test", file.Bearer);
    }

    [Fact]
    public void Save_WritesTheCredentialReadableByTheOwnerOnly_AndANewAgentReadsIt()
    {
        new NodeCredentialFile(Options()).Save("ccn_first");

        var path = Path.Combine(_directory, NodeCredentialFile.FileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var restarted = new NodeCredentialFile(Options());
        Assert.Equal("ccn_first", restarted.Bearer);
    }

    [Fact]
    public void Save_ARotatedCredential_ReplacesTheOldOne_AndLeavesNoTemporaryFiles()
    {
        var file = new NodeCredentialFile(Options());
        file.Save("ccn_first");

        file.Save("ccn_rotated");

        Assert.Equal("ccn_rotated", file.Current);
        Assert.Equal("ccn_rotated", new NodeCredentialFile(Options()).Current);
        Assert.Equal([NodeCredentialFile.FileName], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Validate_EmptyJoinToken_IsFineOnceTheNodeHasACredential_AndNamedWhileItHasNone()
    {
        Assert.Contains(Options(joinToken: "").Validate(), p => p.StartsWith("Agent:JoinToken is empty", StringComparison.Ordinal));

        new NodeCredentialFile(Options()).Save("ccn_first");

        Assert.Empty(Options(joinToken: "").Validate());
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
