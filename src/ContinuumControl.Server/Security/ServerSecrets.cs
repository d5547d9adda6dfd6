using ContinuumControl.Server.Configuration;

namespace ContinuumControl.Server.Security;

/// <summary>The cluster's join token: from configuration, or generated once and kept in the data directory.</summary>
public sealed class ServerSecrets
{
    public ServerSecrets(ServerOptions options)
    {
        JoinToken = string.IsNullOrWhiteSpace(options.JoinToken)
            ? SecretFile.ReadOrCreate(Path.Combine(options.FullDataDirectory, "join-token"), () => TokenHasher.NewToken("ccj_"))
            : options.JoinToken;
    }

    public string JoinToken { get; }
}
