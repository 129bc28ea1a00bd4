using System.Text;

namespace Kratix.StateStores;

/// <summary>
/// How the Git writer authenticates to its remote, beyond what the user's own git configuration provides. Secrets reach
/// git only through the environment of the git process (read by a credential helper, or as a key file path), never on a
/// command line, in a URL or in the local repository's configuration.
/// </summary>
public abstract class GitCredentials : StateStoreCredentials
{
    private protected GitCredentials()
    {
    }

    /// <summary>The values that must never appear in a message: each is masked wherever git's output is shown.</summary>
    internal abstract IReadOnlyList<string> SecretValues { get; }

    /// <summary>What one git process that talks to the remote needs: extra arguments (no secrets), environment, files to remove after.</summary>
    internal abstract GitAuthSession Begin();
}

/// <summary>
/// HTTP(S) basic authentication: a user name and a password or access token. git asks a credential helper for them; the
/// helper (a shell function given to git through <c>--config-env</c>) prints them from two environment variables of the git
/// process. Every other credential helper is switched off for these commands (<c>credential.helper=</c> resets the list), so
/// no helper of the user's (<c>store</c>, <c>cache</c>, a keychain) is asked to store or erase them.
/// </summary>
public sealed class GitBasicCredentials : GitCredentials
{
    /// <summary>The user name used when only a token is given, as upstream Kratix (and GitHub for tokens) does.</summary>
    public const string DefaultUsername = "x-access-token";

    internal const string UsernameVariable = "KRATIX_GIT_USERNAME";
    internal const string PasswordVariable = "KRATIX_GIT_PASSWORD";
    internal const string HelperVariable = "KRATIX_GIT_CREDENTIAL_HELPER";

    /// <summary>
    /// The credential helper. git runs it through the shell with the action appended ("get", "store", "erase"); it answers
    /// "get" only, with the values of the environment variables (printf with %s, so nothing in them is interpreted).
    /// It holds no secret, only the variables' names.
    /// </summary>
    internal const string Helper =
        "!f() { test \"$1\" = get || return 0; printf 'username=%s\\npassword=%s\\n' \"$" + UsernameVariable + "\" \"$" + PasswordVariable + "\"; }; f";

    public GitBasicCredentials(string? username, string password)
    {
        Username = string.IsNullOrEmpty(username) ? DefaultUsername : username;
        Password = password ?? "";
        if (Password.Length == 0)
        {
            throw Invalid("The password (or token) is empty.");
        }

        // git's credential protocol is line based: a newline or NUL would end the value (or inject another attribute).
        if (Username.Any(c => c is '\n' or '\r' or '\0'))
        {
            throw Invalid("The user name contains a line break or NUL character, which git's credential protocol cannot carry.");
        }

        if (Password.Any(c => c is '\n' or '\r' or '\0'))
        {
            throw Invalid("The password (or token) contains a line break or NUL character, which git's credential protocol cannot carry.");
        }
    }

    public string Username { get; }

    public string Password { get; }

    internal override IReadOnlyList<string> SecretValues
    {
        get
        {
            // The value itself, as it would appear percent-encoded in a URL, and inside a Basic Authorization header.
            var values = new List<string> { Password, Uri.EscapeDataString(Password), Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")) };
            return values.Distinct(StringComparer.Ordinal).ToList();
        }
    }

    internal override GitAuthSession Begin() => new(
        ["-c", "credential.helper=", $"--config-env=credential.helper={HelperVariable}"],
        new Dictionary<string, string>
        {
            [HelperVariable] = Helper,
            [UsernameVariable] = Username,
            [PasswordVariable] = Password,
        },
        null);

    public override string ToString() => $"basic authentication as '{Username}'";

    private static KratixException Invalid(string message) =>
        new("StateStoreCredentialsInvalid", KratixErrorCategory.InvalidArgument, message);
}

/// <summary>
/// SSH authentication with a private key, checked against known host keys. git runs ssh through
/// <c>GIT_SSH_COMMAND</c> (set in the git process's environment; it takes precedence over the user's <c>core.sshCommand</c>):
/// <c>ssh -i &lt;key&gt; -o IdentitiesOnly=yes [-o UserKnownHostsFile=&lt;known_hosts&gt;] -o StrictHostKeyChecking=yes -o BatchMode=yes</c>.
/// The key is a file path, or its content (upstream's <c>sshPrivateKey</c>), which is written for each git process to a
/// private temporary directory (0700, the file 0600) and removed when the process ends. Known hosts likewise. Without
/// known hosts the user's own known_hosts files are used; an unknown host key is always refused.
/// </summary>
public sealed class GitSshCredentials : GitCredentials
{
    public GitSshCredentials(string? privateKeyPath = null, string? privateKey = null, string? knownHostsPath = null, string? knownHosts = null)
    {
        if (string.IsNullOrEmpty(privateKeyPath) == string.IsNullOrEmpty(privateKey))
        {
            throw new KratixException("StateStoreCredentialsInvalid", KratixErrorCategory.InvalidArgument,
                "SSH authentication needs exactly one of a private key file path or a private key.");
        }

        if (!string.IsNullOrEmpty(knownHostsPath) && !string.IsNullOrEmpty(knownHosts))
        {
            throw new KratixException("StateStoreCredentialsInvalid", KratixErrorCategory.InvalidArgument,
                "SSH authentication takes a known_hosts file path or known_hosts content, not both.");
        }

        PrivateKeyPath = string.IsNullOrEmpty(privateKeyPath) ? null : Path.GetFullPath(privateKeyPath);
        PrivateKey = string.IsNullOrEmpty(privateKey) ? null : privateKey;
        KnownHostsPath = string.IsNullOrEmpty(knownHostsPath) ? null : Path.GetFullPath(knownHostsPath);
        KnownHosts = string.IsNullOrEmpty(knownHosts) ? null : knownHosts;
    }

    /// <summary>A private key file (not a secret itself: its content is never read by Kratix).</summary>
    public string? PrivateKeyPath { get; }

    /// <summary>A private key's content (a secret).</summary>
    public string? PrivateKey { get; }

    public string? KnownHostsPath { get; }

    public string? KnownHosts { get; }

    internal override IReadOnlyList<string> SecretValues =>
        PrivateKey is null
            ? []
            : PrivateKey.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(line => line.Length >= 16 && !line.StartsWith("-----", StringComparison.Ordinal))
                .Prepend(PrivateKey.Trim())
                .ToList();

    internal override GitAuthSession Begin()
    {
        string? scratch = null;
        try
        {
            var keyPath = PrivateKeyPath;
            var knownHostsPath = KnownHostsPath;
            if (PrivateKey is not null || KnownHosts is not null)
            {
                scratch = Directory.CreateTempSubdirectory("kratix-ssh-").FullName; // 0700 on Unix
                if (PrivateKey is not null)
                {
                    keyPath = Path.Combine(scratch, "id");
                    WritePrivate(keyPath, PrivateKey.EndsWith('\n') ? PrivateKey : PrivateKey + "\n");
                }

                if (KnownHosts is not null)
                {
                    knownHostsPath = Path.Combine(scratch, "known_hosts");
                    WritePrivate(knownHostsPath, KnownHosts.EndsWith('\n') ? KnownHosts : KnownHosts + "\n");
                }
            }

            return new GitAuthSession(
                [],
                new Dictionary<string, string>
                {
                    ["GIT_SSH_COMMAND"] = SshCommand(keyPath!, knownHostsPath),
                    ["GIT_SSH_VARIANT"] = "ssh",
                },
                scratch);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (scratch is not null)
            {
                GitAuthSession.TryDelete(scratch);
            }

            throw new KratixException("StateStoreCredentialsUnusable", KratixErrorCategory.WriteError,
                $"Could not prepare the SSH key for git in a temporary directory: {e.Message}", null, e);
        }
    }

    /// <summary>
    /// The command git runs for ssh (through the shell, with the host and command appended). Paths are single-quoted for the
    /// shell; they are the only variable parts, and they are not secrets.
    /// </summary>
    public static string SshCommand(string privateKeyPath, string? knownHostsPath)
    {
        var command = new StringBuilder("ssh -i ").Append(ShellQuote(privateKeyPath)).Append(" -o IdentitiesOnly=yes");
        if (knownHostsPath is not null)
        {
            command.Append(" -o UserKnownHostsFile=").Append(ShellQuote(knownHostsPath));
        }

        command.Append(" -o StrictHostKeyChecking=yes -o BatchMode=yes");
        return command.ToString();
    }

    /// <summary>Quotes a word for a POSIX shell: inside single quotes everything is literal except the single quote itself.</summary>
    public static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public override string ToString() =>
        $"ssh with key {(PrivateKeyPath ?? "(content)")}{(KnownHostsPath is not null ? $", known hosts {KnownHostsPath}" : KnownHosts is not null ? ", known hosts (content)" : "")}";

    private static void WritePrivate(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(content));
    }
}

/// <summary>What one git process needs for authentication; disposing it removes any temporary key files.</summary>
internal sealed class GitAuthSession(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string? scratchDirectory) : IDisposable
{
    /// <summary>Global options placed before the subcommand (they hold variable names, never values).</summary>
    public IReadOnlyList<string> Arguments => arguments;

    public IReadOnlyDictionary<string, string> Environment => environment;

    public void Dispose()
    {
        if (scratchDirectory is not null)
        {
            TryDelete(scratchDirectory);
        }
    }

    internal static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the directory is private to this user and under the temporary directory.
        }
    }
}
