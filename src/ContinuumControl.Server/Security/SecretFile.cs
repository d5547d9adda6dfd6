namespace ContinuumControl.Server.Security;

/// <summary>A secret kept in a file readable by its owner only.</summary>
public static class SecretFile
{
    public static string ReadOrCreate(string path, Func<string> create)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
        var secret = create();
        Write(path, secret);
        return secret;
    }

    public static void Write(string path, string secret)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, secret + Environment.NewLine);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
