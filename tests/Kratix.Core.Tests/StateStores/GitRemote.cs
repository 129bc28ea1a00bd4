using System.Diagnostics;
using System.Text;

namespace Kratix.Tests.StateStores;

/// <summary>
/// A bare repository on disk standing in for a Git state store's remote, inspected with git directly (never through the
/// writer under test), plus helpers that change it the way other people would: commits from another clone, force-pushes.
/// Git runs with no system or global configuration so the developer's own config cannot change the outcome.
/// </summary>
public sealed class GitRemote
{
    private readonly TempDirectory _temp;

    public GitRemote(TempDirectory temp, string name = "remote.git", string branch = "main")
        : this(temp.Combine(name), temp, branch)
    {
        Run(null, "init", "--bare", "--quiet", "--initial-branch=" + branch, Path);
    }

    private GitRemote(string path, TempDirectory temp, string branch)
    {
        _temp = temp;
        Path = path;
        Branch = branch;
    }

    /// <summary>A bare repository that already exists (a platform test's remote); clones for changes go under <paramref name="temp"/>.</summary>
    public static GitRemote Existing(TempDirectory temp, string path, string branch = "main") => new(path, temp, branch);

    public string Path { get; }

    public string Branch { get; }

    /// <summary>Runs git (no shell) and returns stdout; throws with stderr when git fails.</summary>
    public static string Run(string? workingDirectory, params string[] arguments)
    {
        var (exitCode, stdout, stderr) = TryRun(workingDirectory, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({exitCode}): {stderr}");
        }
        return stdout;
    }

    public static (int ExitCode, string Stdout, string Stderr) TryRun(string? workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("GIT_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        info.Environment["GIT_CONFIG_GLOBAL"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        info.Environment["GIT_AUTHOR_NAME"] = "External Person";
        info.Environment["GIT_AUTHOR_EMAIL"] = "external@example.com";
        info.Environment["GIT_COMMITTER_NAME"] = "External Person";
        info.Environment["GIT_COMMITTER_EMAIL"] = "external@example.com";
        info.Environment["LC_ALL"] = "C";
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs git against the bare remote.</summary>
    public string Git(params string[] arguments) => Run(null, ["--git-dir=" + Path, .. arguments]);

    /// <summary>The branch head on the remote, or null when the branch does not exist.</summary>
    public string? Head()
    {
        var (code, stdout, _) = TryRun(null, "--git-dir=" + Path, "rev-parse", "--verify", "--quiet", $"refs/heads/{Branch}^{{commit}}");
        return code == 0 ? stdout.Trim() : null;
    }

    /// <summary>Commit subjects on the branch, newest first.</summary>
    public IReadOnlyList<string> Subjects() =>
        Head() is null ? [] : Lines(Git("log", "--format=%s", Branch));

    public int CommitCount() => Head() is null ? 0 : int.Parse(Git("rev-list", "--count", Branch).Trim());

    /// <summary>Every file on the branch, sorted.</summary>
    public IReadOnlyList<string> Files() =>
        Head() is null ? [] : Lines(Git("ls-tree", "-r", "--name-only", "-z", "--full-tree", Branch).Replace('\0', '\n')).Order(StringComparer.Ordinal).ToList();

    /// <summary>The content of a file on the branch, or null.</summary>
    public string? Show(string path)
    {
        var (code, stdout, _) = TryRun(null, "--git-dir=" + Path, "show", $"{Branch}:{path}");
        return code == 0 ? stdout : null;
    }

    /// <summary>Every ref on the remote.</summary>
    public IReadOnlyList<string> Refs() => Lines(Git("for-each-ref", "--format=%(refname)"));

    /// <summary>Clones the branch elsewhere, writes files there, commits and pushes: a change made outside Kratix.</summary>
    public string CommitExternally(string message, params (string Path, string Content)[] files)
    {
        var clone = _temp.Combine("external-" + Guid.NewGuid().ToString("N")[..8]);
        if (Head() is null)
        {
            Run(null, "init", "--quiet", "--initial-branch=" + Branch, clone);
        }
        else
        {
            Run(null, "clone", "--quiet", "--branch", Branch, Path, clone);
        }
        foreach (var (path, content) in files)
        {
            var full = System.IO.Path.Combine(clone, path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        Run(clone, "add", "-A");
        Run(clone, "commit", "--quiet", "-m", message);
        Run(clone, "push", "--quiet", Path, $"HEAD:refs/heads/{Branch}");
        return Run(clone, "rev-parse", "HEAD").Trim();
    }

    /// <summary>Replaces the branch's whole history with one new root commit holding <paramref name="files"/> (a force-push).</summary>
    public string ForcePushNewHistory(string message, params (string Path, string Content)[] files)
    {
        var clone = _temp.Combine("rewrite-" + Guid.NewGuid().ToString("N")[..8]);
        Run(null, "init", "--quiet", "--initial-branch=" + Branch, clone);
        foreach (var (path, content) in files)
        {
            var full = System.IO.Path.Combine(clone, path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        Run(clone, "add", "-A");
        Run(clone, "commit", "--quiet", "-m", message);
        Run(clone, "push", "--quiet", "--force", Path, $"HEAD:refs/heads/{Branch}");
        return Run(clone, "rev-parse", "HEAD").Trim();
    }

    private static List<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
}
