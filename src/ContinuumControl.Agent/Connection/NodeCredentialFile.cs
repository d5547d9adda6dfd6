namespace ContinuumControl.Agent.Connection;

/// <summary>
/// This node's own credential, received at its first registration (or a rotation) and kept in the data directory,
/// readable by the agent's user only (mode 0600). The agent connects and fetches with it; the join token is used only
/// while there is none.
/// </summary>
public sealed class NodeCredentialFile(AgentOptions options)
{
    public const string FileName = "node-credential";

    private readonly Lock _gate = new();
    private string? _current;
    private bool _loaded;

    public string Path => System.IO.Path.Combine(System.IO.Path.GetFullPath(options.DataDirectory), FileName);

    /// <summary>The saved credential, or null before the node's first registration.</summary>
    public string? Current
    {
        get
        {
            lock (_gate)
            {
                if (!_loaded)
                {
                    _current = File.Exists(Path) ? File.ReadAllText(Path).Trim() : null;
                    _current = string.IsNullOrEmpty(_current) ? null : _current;
                    _loaded = true;
                }
                return _current;
            }
        }
    }

    /// <summary>What to authenticate with: the node credential once there is one, else the join token.</summary>
    public string Bearer => Current ?? options.JoinToken;

    /// <summary>Uses <paramref name="credential"/> until the agent stops, without saving it (the data directory is not writable).</summary>
    public void Remember(string credential)
    {
        lock (_gate)
        {
            _current = credential;
            _loaded = true;
        }
    }

    /// <summary>Saves <paramref name="credential"/> (all or nothing: a temporary file created 0600, then renamed over the old one).</summary>
    public void Save(string credential)
    {
        lock (_gate)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var temp = $"{Path}.{Guid.NewGuid():N}.tmp";
            var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            try
            {
                using (var stream = new FileStream(temp, file))
                using (var writer = new StreamWriter(stream))
                {
                    writer.WriteLine(credential);
                    writer.Flush();
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temp, Path, overwrite: true);
            }
            catch
            {
                File.Delete(temp);
                throw;
            }
            _current = credential;
            _loaded = true;
        }
    }
}
