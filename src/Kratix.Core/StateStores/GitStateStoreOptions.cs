namespace Kratix.StateStores;

/// <summary>Where and how a <see cref="GitStateStoreWriter"/> writes.</summary>
public sealed record GitStateStoreOptions
{
    /// <summary>Any URL git accepts (https, ssh, scp-like, file, or a local bare repository path). It is passed to git through the
    /// environment, never on a command line or on disk; credentials embedded in it are redacted from messages.</summary>
    public required string Url { get; init; }

    /// <summary>The branch to write; created on the first write when the remote is empty or lacks it.</summary>
    public string Branch { get; init; } = "main";

    /// <summary>The state store's spec.path (joined with the Destination's path by the caller): every change path lives under it.</summary>
    public string BasePath { get; init; } = "";

    /// <summary>Where the writer keeps its one long-lived local repository (created if absent, reused across processes; a lock
    /// file inside it serialises writers in different processes that share it).</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The commit author and committer name; upstream's default is "kratix".</summary>
    public string AuthorName { get; init; } = "kratix";

    /// <summary>The commit author and committer email. Upstream has no default email, so its commits read <c>kratix &lt;&gt;</c>; the same here.</summary>
    public string AuthorEmail { get; init; } = "";

    /// <summary>Extra environment variables for every git process (e.g. GIT_SSH_COMMAND, GIT_ASKPASS). Secrets belong here or in a
    /// credential helper, never in arguments.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>How git authenticates to the remote: <see cref="GitBasicCredentials"/> (HTTP(S) user and password or token, through a
    /// credential helper that reads them from the git process's environment) or <see cref="GitSshCredentials"/> (a private key and
    /// known hosts, through GIT_SSH_COMMAND). Null: whatever the user's own git configuration provides (credential helpers,
    /// ssh keys and agent). Secrets never reach a command line, a URL, the local repository's configuration or a message.</summary>
    public GitCredentials? Credentials { get; init; }

    /// <summary>How many times a batch is rebuilt on the new remote head and pushed again when the remote moved under it.</summary>
    public int MaxPushAttempts { get; init; } = 5;
}
