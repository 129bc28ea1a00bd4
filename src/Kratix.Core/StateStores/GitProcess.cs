using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Kratix.StateStores;

/// <summary>The outcome of one git process.</summary>
internal sealed record GitResult(int ExitCode, byte[] Stdout, string Stderr)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);
}

/// <summary>
/// Runs the git CLI: never through a shell (arguments go through <see cref="ProcessStartInfo.ArgumentList"/>), with stdin
/// closed unless a writer feeds it, stdout and stderr captured concurrently (so a chatty process never deadlocks), the
/// whole process tree killed on cancellation, and credentials in URLs redacted from every message.
/// Every command gets configuration that makes it independent of the user's global git config where that matters: no
/// hooks, no signing, no line-ending conversion, no push options, no background gc. The environment keeps the user's
/// transport settings (GIT_SSH_COMMAND, GIT_ASKPASS, proxies, certificates, GIT_CONFIG_GLOBAL) but drops every variable that
/// would point git at another repository (GIT_DIR, GIT_INDEX_FILE, GIT_OBJECT_DIRECTORY...), as set inside a git hook.
/// </summary>
internal sealed class GitProcess
{
    /// <summary>The environment variable that carries the remote URL, so it is never on a command line.</summary>
    public const string RemoteUrlVariable = "KRATIX_STATE_STORE_URL";

    private const int StderrTailCharacters = 2000;

    private static readonly string[] SafetyConfiguration =
    [
        "core.hooksPath=/dev/null",
        "commit.gpgSign=false",
        "tag.gpgSign=false",
        "push.gpgSign=false",
        "push.pushOption=",
        "push.followTags=false",
        "push.recurseSubmodules=no",
        "fetch.recurseSubmodules=false",
        "submodule.recurse=false",
        "core.autocrlf=false",
        "core.safecrlf=false",
        "core.quotePath=false",
        "core.fsmonitor=false",
        "core.logAllRefUpdates=false",
        "gc.autoDetach=false",
        "maintenance.autoDetach=false",
        "credential.interactive=false",
        "init.defaultBranch=main",
                "advice.detachedHead=false",
    ];

    /// <summary>GIT_* variables of the calling process that are passed on; every other GIT_* variable is dropped.</summary>
    private static readonly string[] InheritedGitVariablePrefixes =
    [
        "GIT_SSH", "GIT_ASKPASS", "GIT_SSL_", "GIT_HTTP_", "GIT_PROXY_", "GIT_CURL_", "GIT_TRACE", "GIT_EXEC_PATH",
        "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM", "GIT_ALLOW_PROTOCOL", "GIT_PROTOCOL_FROM_USER",
    ];

    private readonly IReadOnlyDictionary<string, string>? _extraEnvironment;
    private readonly string _executable;
    private readonly GitCredentials? _credentials;
    private readonly IReadOnlyList<string> _secrets;
    private int _processesStarted;

    public GitProcess(IReadOnlyDictionary<string, string>? extraEnvironment = null, string executable = "git", GitCredentials? credentials = null)
    {
        _extraEnvironment = extraEnvironment;
        _executable = executable;
        _credentials = credentials;
        _secrets = credentials?.SecretValues ?? [];
    }

    /// <summary>Masks URL credentials and this instance's secret values in <paramref name="text"/>.</summary>
    public string Redact(string? text) => SecretRedactor.Redact(text, (IReadOnlyCollection<string>)_secrets);

    /// <summary>How many git processes this instance has started (for tests that check batching).</summary>
    public int ProcessesStarted => Volatile.Read(ref _processesStarted);

    /// <summary>
    /// Runs <c>git &lt;subcommand&gt; &lt;arguments&gt;</c> against the repository at <paramref name="gitDirectory"/>.
    /// </summary>
    /// <param name="subcommand">The git subcommand; also what error messages name (arguments are never shown, they may hold paths a user did not choose to reveal).</param>
    /// <param name="arguments">Arguments after the subcommand.</param>
    /// <param name="gitDirectory">The repository (passed as --git-dir so git never discovers an enclosing repository), or null.</param>
    /// <param name="cancellationToken">Kills the process tree and throws <see cref="OperationCanceledException"/> when cancelled.</param>
    /// <param name="remoteUrl">When set, the remote <c>origin</c> is defined from the environment with this URL (never on the command line or on disk),
    /// and the credentials, if any, are given to this process (through its environment).</param>
    /// <param name="stdin">Writes the process's standard input; it is closed afterwards. Null closes it at once.</param>
    /// <param name="allowFailure">When false, a non-zero exit code throws <c>GitCommandFailed</c>.</param>
    public async Task<GitResult> RunAsync(
        string subcommand,
        IReadOnlyList<string> arguments,
        string? gitDirectory,
        CancellationToken cancellationToken,
        string? remoteUrl = null,
        Func<Stream, CancellationToken, Task>? stdin = null,
        bool allowFailure = false)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var startInfo = new ProcessStartInfo(_executable)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (gitDirectory is not null)
        {
            startInfo.ArgumentList.Add("--git-dir=" + gitDirectory);
            startInfo.WorkingDirectory = gitDirectory;
        }
        foreach (var setting in SafetyConfiguration)
        {
            startInfo.ArgumentList.Add("-c");
            startInfo.ArgumentList.Add(setting);
        }
        if (remoteUrl is not null)
        {
            startInfo.ArgumentList.Add("--config-env=remote.origin.url=" + RemoteUrlVariable);
        }
        using var authentication = remoteUrl is not null ? _credentials?.Begin() : null;
        foreach (var argument in authentication?.Arguments ?? [])
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.ArgumentList.Add(subcommand);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        PrepareEnvironment(startInfo.Environment, remoteUrl, authentication);

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new KratixException("GitNotFound", KratixErrorCategory.ObjectNotFound,
                $"Could not start '{_executable}': {e.Message}. Git state stores need the git command line (2.31 or later) on PATH.",
                _executable, e);
        }
        Interlocked.Increment(ref _processesStarted);

        var stdout = new MemoryStream();
        var stdoutTask = process.StandardOutput.BaseStream.CopyToAsync(stdout, CancellationToken.None);
        var stderrTask = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using (cancellationToken.Register(() => Kill(process)))
        {
            Exception? stdinFailure = null;
            try
            {
                if (stdin is not null)
                {
                    await stdin(process.StandardInput.BaseStream, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (IOException e)
            {
                // The process exited early (and closed its end of the pipe); its exit code and stderr say why.
                stdinFailure = e;
            }
            catch (OperationCanceledException)
            {
                Kill(process);
            }
            finally
            {
                try
                {
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // Broken pipe on close: the process is already gone.
                }
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAll(stdoutTask, stderrTask).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();

            var result = new GitResult(process.ExitCode, stdout.ToArray(), Redact(stderrTask.Result));
            if (result.ExitCode != 0 && !allowFailure)
            {
                throw Failure(subcommand, result, remoteUrl);
            }
            if (stdinFailure is not null && result.ExitCode == 0)
            {
                throw new KratixException("GitCommandFailed", KratixErrorCategory.InvalidOperation,
                    $"git {subcommand} stopped reading its input before it was complete: {stdinFailure.Message}", null, stdinFailure);
            }
            return result;
        }
    }

    /// <summary>The <c>GitCommandFailed</c> error for a finished process: the subcommand, exit code and the tail of stderr.</summary>
    public static KratixException Failure(string subcommand, GitResult result, string? remoteUrl, string? context = null)
    {
        var category = subcommand is "fetch" or "push" or "ls-remote" or "clone"
            ? KratixErrorCategory.ConnectionError
            : KratixErrorCategory.InvalidOperation;
        var where = remoteUrl is null ? "" : $" (remote {SecretRedactor.Redact(remoteUrl)})";
        return new KratixException("GitCommandFailed", category,
            $"git {subcommand} failed with exit code {result.ExitCode}{where}{context}: {Tail(result.Stderr)}",
            remoteUrl is null ? null : SecretRedactor.Redact(remoteUrl));
    }

    /// <summary>The last part of git's stderr, trimmed, for messages.</summary>
    public static string Tail(string stderr)
    {
        var text = stderr.Trim();
        if (text.Length == 0)
        {
            return "(git wrote nothing to stderr)";
        }
        return text.Length <= StderrTailCharacters ? text : "..." + text[^StderrTailCharacters..];
    }

    private void PrepareEnvironment(IDictionary<string, string?> environment, string? remoteUrl, GitAuthSession? authentication)
    {
        foreach (var name in environment.Keys.ToList())
        {
            if (name.StartsWith("GIT_", StringComparison.OrdinalIgnoreCase)
                && !InheritedGitVariablePrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                environment.Remove(name);
            }
        }
        environment["GIT_TERMINAL_PROMPT"] = "0";
        environment["GCM_INTERACTIVE"] = "never";
        environment["GIT_LITERAL_PATHSPECS"] = "1";
        environment["GIT_NO_REPLACE_OBJECTS"] = "1";
        environment["LC_ALL"] = "C";
        environment["LANGUAGE"] = "C";
        // A user's GIT_TRACE_CURL must never print an Authorization header: redaction is git's default, made explicit.
        environment["GIT_TRACE_REDACT"] = "1";
        if (_extraEnvironment is not null)
        {
            foreach (var (name, value) in _extraEnvironment)
            {
                environment[name] = value;
            }
        }
        if (remoteUrl is not null)
        {
            environment[RemoteUrlVariable] = remoteUrl;
        }
        foreach (var (name, value) in authentication?.Environment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }
}
