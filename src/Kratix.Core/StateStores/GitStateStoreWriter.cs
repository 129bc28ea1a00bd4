using System.Security.Cryptography;

namespace Kratix.StateStores;

/// <summary>
/// Writes a state store held in a Git repository, through the git command line.
/// <para>
/// The writer keeps one long-lived local repository in <see cref="GitStateStoreOptions.WorkingDirectory"/> (a bare repository:
/// commits are built directly from the changes' bytes, so no working tree is checked out, reset or cleaned). Each
/// <see cref="WriteAsync"/> call is one batch: fetch the branch (depth 1), compare every change with the fetched tree in
/// memory, build one commit of every change that alters the tree with a single <c>git fast-import</c> process, and push it
/// with one <c>git push --force-with-lease=refs/heads/&lt;branch&gt;:&lt;fetched head&gt;</c>, which succeeds only if the
/// branch is still exactly where it was fetched. When the remote moved (another writer, an external commit, a force-push),
/// the batch is rebuilt on the new head and pushed again, up to <see cref="GitStateStoreOptions.MaxPushAttempts"/> times.
/// A steady-state batch costs three git processes (fetch, fast-import, push) however many changes and files it holds.
/// </para>
/// </summary>
public sealed class GitStateStoreWriter : IStateStoreWriter
{
    private const string LockFileName = "kratix-writer.lock";
    private const string PermissionCheckRefPrefix = "refs/kratix/permission-check-";

    private readonly GitStateStoreOptions _options;
    private readonly GitProcess _git;
    private readonly string _gitDirectory;
    private readonly string _basePath;
    private readonly string _authorIdentity;
    private readonly string _redactedUrl;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _cachedHead;
    private GitTreeSnapshot? _cachedTree;
    private bool _disposed;

    public GitStateStoreWriter(GitStateStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Url) || options.Url.Any(char.IsControl))
        {
            throw Invalid("The Git state store URL is empty or contains control characters.", options.Url);
        }
        ValidateBranch(options.Branch);
        if (string.IsNullOrWhiteSpace(options.WorkingDirectory))
        {
            throw Invalid("The Git state store writer needs a working directory for its local repository.", options.WorkingDirectory);
        }
        ValidateIdentity(options.AuthorName, "author name");
        ValidateIdentity(options.AuthorEmail, "author email");
        if (options.MaxPushAttempts < 1)
        {
            throw Invalid($"MaxPushAttempts must be at least 1 (it is {options.MaxPushAttempts}).", options.MaxPushAttempts);
        }

        _options = options with { Url = ResolveUrl(options.Url) };
        _basePath = StatePaths.Normalize(options.BasePath, "state store base path", allowRoot: true);
        _gitDirectory = Path.GetFullPath(options.WorkingDirectory);
        _authorIdentity = GitFastImportStream.Identity(options.AuthorName, options.AuthorEmail);
        _redactedUrl = SecretRedactor.Redact(options.Url);
        _git = new GitProcess(options.Environment, credentials: options.Credentials);
    }

    /// <summary>How many git processes this writer has started (tests check that batches stay batched).</summary>
    internal int ProcessesStarted => _git.ProcessesStarted;

    /// <summary>
    /// How old a git lock file (<c>shallow.lock</c>, <c>refs/.../*.lock</c>) in the local repository must be before a writer
    /// that holds the repository lock treats it as left by a git process that died (its kratix process was killed) and
    /// deletes it. A younger one may belong to a git process that outlived its killed parent and is still finishing; the
    /// writer waits for it that long.
    /// </summary>
    internal TimeSpan StaleGitLockAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Test seam: runs after a batch's commits are built and before they are pushed, with the attempt number.</summary>
    internal Func<int, Task>? BeforePush { get; set; }

    public async Task<StateStoreWriteResult> WriteAsync(IReadOnlyList<StateStoreChange> changes, CancellationToken cancellationToken = default)
    {
        var validated = StatePaths.ValidateChanges(changes);
        return await LockedAsync(async () =>
        {
            for (var attempt = 1; ; attempt++)
            {
                var head = await FetchAsync(cancellationToken).ConfigureAwait(false);
                var tree = (await SnapshotAsync(head, cancellationToken).ConfigureAwait(false)).Clone();
                var altering = new List<GitPlannedCommit>();
                var altered = new List<int>();
                for (var i = 0; i < validated.Count; i++)
                {
                    var operations = tree.Apply(validated[i]);
                    if (operations.Count > 0)
                    {
                        altering.Add(new GitPlannedCommit(validated[i].Description, operations));
                        altered.Add(i);
                    }
                }
                if (altering.Count == 0)
                {
                    return new StateStoreWriteResult(head, false, 0, []);
                }

                var newHead = await ImportAsync([OneCommit(altering)], head, cancellationToken).ConfigureAwait(false);
                // A crash here leaves the batch on the local scratch ref only. Nothing reads that ref back: the next
                // write fetches the remote again and rebuilds whatever is still missing there.
                CrashPoints.Hit(CrashPoints.GitCommitted);
                if (BeforePush is { } beforePush)
                {
                    await beforePush(attempt).ConfigureAwait(false);
                }
                var rejection = await PushAsync(newHead, head, cancellationToken).ConfigureAwait(false);
                if (rejection is null)
                {
                    _cachedHead = newHead;
                    _cachedTree = tree;
                    CrashPoints.Hit(CrashPoints.GitPushed);
                    return new StateStoreWriteResult(newHead, true, altering.Count, altered);
                }
                if (attempt >= _options.MaxPushAttempts)
                {
                    throw new KratixException("GitRemoteKeptMoving", KratixErrorCategory.ResourceUnavailable,
                        $"The branch '{_options.Branch}' of {_redactedUrl} kept moving: {attempt} push(es) were rejected because the branch changed " +
                        "(another writer, an external commit or a force-push) between fetching it and pushing to it. Nothing from this batch was written. " +
                        $"Try again, or raise MaxPushAttempts if many writers share the branch. The last rejection: {rejection}",
                        _redactedUrl);
                }
                // Back off a little, with jitter, so that writers racing for the same branch do not collide in lock step.
                await Task.Delay(Random.Shared.Next(10, 50) * attempt, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]?> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var relative = StatePaths.Normalize(path, "read request");
        return await LockedAsync(async () =>
        {
            var head = await FetchAsync(cancellationToken).ConfigureAwait(false);
            var tree = await SnapshotAsync(head, cancellationToken).ConfigureAwait(false);
            if (!tree.TryGet(relative, out var entry) || !entry.IsRegularFile)
            {
                return null;
            }
            var result = await _git.RunAsync("cat-file", ["blob", entry.ObjectId], _gitDirectory, cancellationToken).ConfigureAwait(false);
            return result.Stdout;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListFilesAsync(string directory, CancellationToken cancellationToken = default)
    {
        var relative = StatePaths.Normalize(directory, "list request", allowRoot: true);
        return await LockedAsync(async () =>
        {
            var head = await FetchAsync(cancellationToken).ConfigureAwait(false);
            var tree = await SnapshotAsync(head, cancellationToken).ConfigureAwait(false);
            return tree.ListBlobs(relative);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task ValidatePermissionsAsync(CancellationToken cancellationToken = default) =>
        (await CheckAccessAsync(cancellationToken).ConfigureAwait(false)).ThrowIfDenied();

    /// <summary>
    /// Read access: fetching the branch. Write access: pushing a new ref <c>refs/kratix/permission-check-&lt;random&gt;</c>
    /// (pointing at the branch head, or at an empty root commit when the branch does not exist yet) and deleting it again.
    /// This really asks the server on every transport, unlike <c>git push --dry-run</c>, which decides locally after the
    /// ref advertisement and so never meets a server that authorises each push (an HTTP server's receive-pack, a hook).
    /// The branches are never touched and no ref is left; when the branch exists the probe points at its head, so no object
    /// is sent either. The only possible trace is an unreachable empty commit on a remote without the branch, which the
    /// remote's gc removes. When reading fails, writing is not tried.
    /// </summary>
    public async Task<StateStoreAccess> CheckAccessAsync(CancellationToken cancellationToken = default)
    {
        return await LockedAsync(async () =>
        {
            string? head;
            try
            {
                head = await FetchAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (KratixException e) when (e.ErrorId == "GitCommandFailed")
            {
                var error = new KratixException("StateStoreNotReadable", KratixErrorCategory.ResourceUnavailable,
                    $"Cannot read the Git state store {_redactedUrl}: {e.Message}", _redactedUrl, e);
                return new StateStoreAccess(false, false, error.Message + " Write access was not checked.", error);
            }

            var commit = head ?? await ImportAsync([new GitPlannedCommit("kratix write permission check", [])], null, cancellationToken).ConfigureAwait(false);
            var probe = PermissionCheckRefPrefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
            var created = await _git.RunAsync("push", ["--porcelain", "--no-verify", "origin", $"{commit}:{probe}"], _gitDirectory,
                cancellationToken, remoteUrl: _options.Url, allowFailure: true).ConfigureAwait(false);
            if (created.ExitCode != 0)
            {
                var error = new KratixException("StateStoreNotWritable", KratixErrorCategory.PermissionDenied,
                    $"Cannot write to the Git state store {_redactedUrl}: pushing the probe ref {probe} failed (exit code {created.ExitCode}): {GitProcess.Tail(created.Stderr)}",
                    _redactedUrl);
                return new StateStoreAccess(true, false, error.Message, error);
            }
            var deleted = await _git.RunAsync("push", ["--porcelain", "--no-verify", "origin", ":" + probe], _gitDirectory,
                CancellationToken.None, remoteUrl: _options.Url, allowFailure: true).ConfigureAwait(false);
            if (deleted.ExitCode != 0)
            {
                var error = new KratixException("StateStoreNotWritable", KratixErrorCategory.PermissionDenied,
                    $"The Git state store {_redactedUrl} accepted the probe ref {probe} but refused to delete it (exit code {deleted.ExitCode}): {GitProcess.Tail(deleted.Stderr)}. " +
                    "Kratix needs to delete refs it creates; remove the probe ref by hand.",
                    _redactedUrl);
                return new StateStoreAccess(true, false, error.Message, error);
            }
            var branchState = head is null
                ? $"branch '{_options.Branch}' does not exist yet; the first write creates it"
                : $"branch '{_options.Branch}' at {head[..12]}";
            return new StateStoreAccess(true, true,
                $"Fetched {_redactedUrl} ({branchState}), and pushed and deleted the probe ref {probe}.", null);
        }, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }

    /// <summary>Serialises callers in this process (the semaphore) and in other processes sharing the working directory (the lock file).</summary>
    private async Task<T> LockedAsync<T>(Func<Task<T>> body, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var repositoryLock = await OpenRepositoryAsync(cancellationToken).ConfigureAwait(false);
            return await body().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<CrossProcessLock> OpenRepositoryAsync(CancellationToken cancellationToken)
    {
        var lockPath = Path.Combine(_gitDirectory, LockFileName);
        var headPath = Path.Combine(_gitDirectory, "HEAD");
        CrossProcessLock repositoryLock;
        try
        {
            if (Directory.Exists(_gitDirectory) && !File.Exists(headPath) && !File.Exists(lockPath)
                && Directory.EnumerateFileSystemEntries(_gitDirectory).Any())
            {
                throw new KratixException("StateStoreWorkingDirectoryInvalid", KratixErrorCategory.InvalidArgument,
                    $"The working directory '{_gitDirectory}' is not empty and is not a Git state store cache. " +
                    "Point WorkingDirectory at an empty or absent directory that the writer can own.",
                    _gitDirectory);
            }
            Directory.CreateDirectory(_gitDirectory);
            repositoryLock = await CrossProcessLock.AcquireAsync(lockPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KratixException("StateStoreWorkingDirectoryInvalid", KratixErrorCategory.WriteError,
                $"Cannot use '{_gitDirectory}' as the Git state store writer's working directory: {e.Message}", _gitDirectory, e);
        }

        try
        {
            if (!File.Exists(headPath))
            {
                await _git.RunAsync("init", ["--bare", "--quiet", "--template=", _gitDirectory], null, cancellationToken).ConfigureAwait(false);
                _cachedHead = null;
                _cachedTree = null;
            }
            else
            {
                RemoveStaleGitLocks();
            }
            return repositoryLock;
        }
        catch
        {
            repositoryLock.Dispose();
            throw;
        }
    }

    /// <summary>Fetches the branch (depth 1) and returns its head, or null when the remote does not have the branch (or is empty).</summary>
    private async Task<string?> FetchAsync(CancellationToken cancellationToken)
    {
        var branch = _options.Branch;
        var result = await RunRecoveringLocksAsync(() => _git.RunAsync("fetch",
            ["--quiet", "--no-tags", "--no-recurse-submodules", "--depth=1", "origin", $"+refs/heads/{branch}:refs/remotes/origin/{branch}"],
            _gitDirectory, cancellationToken, remoteUrl: _options.Url, allowFailure: true), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            if (result.Stderr.Contains("couldn't find remote ref", StringComparison.Ordinal))
            {
                return null;
            }
            throw GitProcess.Failure("fetch", result, _options.Url, $" while fetching branch '{branch}'");
        }

        // The fetched head is the first field of FETCH_HEAD; reading it saves a rev-parse process per batch.
        try
        {
            var line = File.ReadLines(Path.Combine(_gitDirectory, "FETCH_HEAD")).FirstOrDefault() ?? "";
            var id = line.Split('\t')[0].Trim();
            if (IsObjectId(id))
            {
                return id;
            }
        }
        catch (IOException)
        {
            // Fall back to asking git.
        }
        var parsed = await _git.RunAsync("rev-parse", ["--verify", "--quiet", $"refs/remotes/origin/{branch}^{{commit}}"], _gitDirectory, cancellationToken)
            .ConfigureAwait(false);
        return parsed.StdoutText.Trim();
    }

    /// <summary>The entries under the base path in <paramref name="head"/>, from the cache when <paramref name="head"/> is the last one seen.</summary>
    private async Task<GitTreeSnapshot> SnapshotAsync(string? head, CancellationToken cancellationToken)
    {
        if (head is null)
        {
            return GitTreeSnapshot.Empty();
        }
        if (head == _cachedHead && _cachedTree is not null)
        {
            return _cachedTree;
        }
        List<string> arguments = ["-r", "-z", "--full-tree", head];
        if (_basePath.Length > 0)
        {
            arguments.Add("--");
            arguments.Add(_basePath + "/");
        }
        var result = await _git.RunAsync("ls-tree", arguments, _gitDirectory, cancellationToken).ConfigureAwait(false);
        var snapshot = GitTreeSnapshot.Parse(result.Stdout, _basePath, sha256: head.Length == 64);
        _cachedHead = head;
        _cachedTree = snapshot;
        return snapshot;
    }

    /// <summary>
    /// A batch's changes as one commit. Alone, a change keeps upstream's message (<c>Update from: &lt;placement&gt;</c>);
    /// together, the subject names the first and counts the others, and the body lists every change's message, so
    /// <c>git log --grep</c> still finds each placement.
    /// </summary>
    internal static GitPlannedCommit OneCommit(IReadOnlyList<GitPlannedCommit> changes) => changes.Count == 1
        ? changes[0]
        : new GitPlannedCommit(
            $"{changes[0].Message} (and {changes.Count - 1} more)\n\n" + string.Join("\n", changes.Select(c => c.Message)) + "\n",
            changes.SelectMany(c => c.Operations).ToList());

    /// <summary>Builds the commits in one fast-import process and returns the id of the last one.</summary>
    private async Task<string> ImportAsync(IReadOnlyList<GitPlannedCommit> commits, string? parent, CancellationToken cancellationToken)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var result = await RunRecoveringLocksAsync(() => _git.RunAsync("fast-import", ["--quiet", "--done", "--force"], _gitDirectory, cancellationToken,
            stdin: (stream, token) => GitFastImportStream.WriteAsync(stream, commits, parent, _basePath, _authorIdentity, timestamp, token),
            allowFailure: true), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw GitProcess.Failure("fast-import", result, null);
        }
        var lines = result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0 || !IsObjectId(lines[^1]))
        {
            throw new KratixException("GitCommandFailed", KratixErrorCategory.InvalidOperation,
                $"git fast-import did not report the commit it built (stdout: '{_git.Redact(result.StdoutText.Trim())}', stderr: {GitProcess.Tail(result.Stderr)}).");
        }
        return lines[^1];
    }

    /// <summary>
    /// Runs a git command that takes lock files in the local repository; when it fails because one is already there, waits
    /// for whoever holds it (a git process whose kratix process was killed may still be finishing) until the lock is
    /// <see cref="StaleGitLockAge"/> old, deletes it if it is still there, and runs the command again.
    /// </summary>
    private async Task<GitResult> RunRecoveringLocksAsync(Func<Task<GitResult>> run, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await run().ConfigureAwait(false);
            if (result.ExitCode == 0 || attempt > 3 || LockInTheWay(result.Stderr) is not { } lockFile)
            {
                return result;
            }

            while (File.Exists(lockFile) && DateTime.UtcNow - File.GetLastWriteTimeUtc(lockFile) < StaleGitLockAge)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            TryDeleteLock(lockFile);
        }
    }

    /// <summary>The lock file of this repository that git could not create because it exists ("Unable to create '…lock': File exists"), or null.</summary>
    private string? LockInTheWay(string stderr)
    {
        const string Marker = "Unable to create '";
        var start = stderr.IndexOf(Marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }
        start += Marker.Length;
        var end = stderr.IndexOf("': File exists", start, StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }
        var path = Path.GetFullPath(stderr[start..end], _gitDirectory);
        var inRepository = path.StartsWith(_gitDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return inRepository && path.EndsWith(".lock", StringComparison.Ordinal) && Path.GetFileName(path) != LockFileName ? path : null;
    }

    /// <summary>
    /// Deletes the git lock files a killed process left in the local repository (<c>shallow.lock</c>, <c>packed-refs.lock</c>,
    /// <c>refs/**/*.lock</c>, ...) once they are <see cref="StaleGitLockAge"/> old. Called with the repository lock held,
    /// so no writer of this process or another is running git here.
    /// </summary>
    private void RemoveStaleGitLocks()
    {
        var refs = Path.Combine(_gitDirectory, "refs");
        var candidates = Directory.EnumerateFiles(_gitDirectory, "*.lock")
            .Concat(Directory.Exists(refs) ? Directory.EnumerateFiles(refs, "*.lock", SearchOption.AllDirectories) : []);
        foreach (var file in candidates.Where(f => Path.GetFileName(f) != LockFileName).ToList())
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) >= StaleGitLockAge)
            {
                TryDeleteLock(file);
            }
        }
    }

    private static void TryDeleteLock(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone already, or not ours to delete: the next git command says so.
        }
    }

    /// <summary>
    /// Pushes <paramref name="commit"/> to the branch if the branch is still at <paramref name="expectedHead"/> (absent when null).
    /// Returns null when pushed, the rejection when the remote moved (our lease was stale, or the server lost a race for the
    /// ref lock to another push); throws when the remote refused for another reason (hooks, branch protection).
    /// </summary>
    private async Task<string?> PushAsync(string commit, string? expectedHead, CancellationToken cancellationToken)
    {
        var branch = _options.Branch;
        var result = await _git.RunAsync("push",
            ["--porcelain", "--no-verify", $"--force-with-lease=refs/heads/{branch}:{expectedHead}", "origin", $"{commit}:refs/heads/{branch}"],
            _gitDirectory, cancellationToken, remoteUrl: _options.Url, allowFailure: true).ConfigureAwait(false);
        if (result.ExitCode == 0)
        {
            return null;
        }

        // Porcelain status lines: "<flag>\t<from>:<to>\t<summary> (<reason>)"; '!' is a rejection.
        var rejection = _git.Redact(result.StdoutText).Split('\n').FirstOrDefault(line => line.StartsWith('!'));
        if (rejection is not null)
        {
            var summary = rejection.Split('\t').Last().Trim();
            var remoteSays = string.Join(Environment.NewLine, result.Stderr.Split('\n')
                .Where(line => line.StartsWith("remote:", StringComparison.Ordinal))
                .Select(line => line.TrimEnd()));
            // "[rejected] (stale info)" / "(fetch first)": the branch moved since we fetched it. "[remote rejected] (failed to
            // update ref)" with "cannot lock ref": another push won the race for the server's ref lock after our lease check.
            if (summary.StartsWith("[rejected]", StringComparison.Ordinal)
                || (summary.Contains("failed to update ref", StringComparison.Ordinal) && remoteSays.Contains("cannot lock ref", StringComparison.Ordinal))
                || summary.Contains("failed to lock", StringComparison.Ordinal))
            {
                return remoteSays.Length > 0 ? $"{summary} {remoteSays}" : summary;
            }
            throw new KratixException("GitPushRejected", KratixErrorCategory.PermissionDenied,
                $"The Git state store {_redactedUrl} refused the push to branch '{branch}': {summary}." +
                (remoteSays.Length > 0 ? Environment.NewLine + remoteSays : "") +
                $"{Environment.NewLine}Nothing from this batch was written. Check the branch protection and server-side hooks of the repository.",
                _redactedUrl);
        }
        throw GitProcess.Failure("push", result, _options.Url, $" while pushing to branch '{branch}'");
    }

    /// <summary>
    /// Makes a local repository path absolute (git runs inside the working directory, so a relative path would otherwise
    /// resolve against it, not against the caller's current directory). URLs (scheme://...) and scp-like addresses
    /// (host:path, user@host:path) are returned unchanged.
    /// </summary>
    internal static string ResolveUrl(string url)
    {
        if (url.Contains("://", StringComparison.Ordinal))
        {
            return url;
        }
        var isWindowsDrivePath = url.Length >= 2 && url[1] == ':' && char.IsAsciiLetter(url[0]);
        var colon = url.IndexOf(':');
        var slash = url.IndexOfAny(['/', '\\']);
        var isScpLike = !isWindowsDrivePath && colon > 0 && (slash < 0 || colon < slash);
        return isScpLike ? url : Path.GetFullPath(url);
    }

    private static bool IsObjectId(string text) =>
        text.Length is 40 or 64 && text.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0;

    private static void ValidateBranch(string? branch)
    {
        var problem = branch switch
        {
            null or "" => "it is empty",
            _ when branch.StartsWith('-') => "it starts with '-'",
            _ when branch.StartsWith('/') || branch.EndsWith('/') || branch.Contains("//") => "it has an empty path component",
            _ when branch.EndsWith('.') => "it ends with '.'",
            _ when branch.Contains("..") => "it contains '..'",
            _ when branch.Contains("@{") || branch == "@" => "it contains '@{' or is '@'",
            _ when branch.Any(c => char.IsControl(c) || c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\') =>
                "it contains a space, a control character or one of ~^:?*[\\",
            _ when branch.Split('/').Any(part => part.StartsWith('.') || part.EndsWith(".lock", StringComparison.Ordinal)) =>
                "a component starts with '.' or ends with '.lock'",
            _ => null,
        };
        if (problem is not null)
        {
            throw Invalid($"The branch name '{branch}' is not a valid Git branch name: {problem}.", branch);
        }
    }

    private static void ValidateIdentity(string? value, string what)
    {
        if (value is null || value.Any(c => char.IsControl(c) || c == '<' || c == '>'))
        {
            throw Invalid($"The commit {what} '{value}' is missing or contains '<', '>' or a control character, which Git cannot store in an identity.", value);
        }
    }

    private static KratixException Invalid(string message, object? target) =>
        new("StateStoreOptionsInvalid", KratixErrorCategory.InvalidArgument, message, target);
}
