using Kratix.StateStores;

namespace Kratix.Tests.StateStores;

/// <summary>
/// How credentials are handed to git, checked on what a stand-in "git" (a shell script) receives: its arguments and its
/// environment. The real transports are exercised in <see cref="GitAuthenticationTests"/> (HTTP) and <see cref="GitSshTests"/>.
/// </summary>
[Collection(SshScratch.Name)]
public sealed class GitCredentialsTests : IDisposable
{
    private const string Password = "pw-S3CRET-9d2f7b61aa";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A "git" that records its arguments (one a line), the named environment variables and a script's output, then exits 0.</summary>
    private string FakeGit(string extraScript = "")
    {
        var script = _temp.Combine("fake-git");
        File.WriteAllText(script,
            "#!/bin/sh\n" +
            $"out='{_temp.Path}'\n" +
            "printf '%s\\n' \"$@\" > \"$out/argv\"\n" +
            "env > \"$out/env\"\n" +
            extraScript + "\n" +
            "exit 0\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return script;
    }

    private Dictionary<string, string> RecordedEnvironment() =>
        File.ReadAllLines(_temp.Combine("env")).Where(l => l.Contains('=')).Select(l => l.Split('=', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);

    [Fact]
    public async Task Basic_credentials_reach_git_as_environment_variables_read_by_a_helper_and_never_as_arguments()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var git = new GitProcess(executable: FakeGit(), credentials: new GitBasicCredentials("bot", Password));

        await git.RunAsync("fetch", ["origin"], null, CancellationToken.None, remoteUrl: "https://git.example.com/state.git");

        var argv = File.ReadAllLines(_temp.Combine("argv"));
        Assert.DoesNotContain(argv, a => a.Contains(Password, StringComparison.Ordinal));
        Assert.DoesNotContain(argv, a => a.Contains("git.example.com", StringComparison.Ordinal));
        // The user's helpers are switched off first, then ours comes from a variable, all before the subcommand.
        var reset = Array.IndexOf(argv, "credential.helper=");
        var ours = Array.IndexOf(argv, "--config-env=credential.helper=KRATIX_GIT_CREDENTIAL_HELPER");
        Assert.True(reset > 0 && argv[reset - 1] == "-c", string.Join(' ', argv));
        Assert.True(ours > reset && ours < Array.IndexOf(argv, "fetch"), string.Join(' ', argv));

        var environment = RecordedEnvironment();
        Assert.Equal(Password, environment["KRATIX_GIT_PASSWORD"]);
        Assert.Equal("bot", environment["KRATIX_GIT_USERNAME"]);
        Assert.Equal(GitBasicCredentials.Helper, environment["KRATIX_GIT_CREDENTIAL_HELPER"]);
        Assert.DoesNotContain(Password, GitBasicCredentials.Helper);
        Assert.Equal("1", environment["GIT_TRACE_REDACT"]);
        Assert.Equal("0", environment["GIT_TERMINAL_PROMPT"]);
    }

    [Fact]
    public async Task Credentials_are_only_given_to_commands_that_talk_to_the_remote()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var git = new GitProcess(executable: FakeGit(), credentials: new GitBasicCredentials("bot", Password));

        await git.RunAsync("ls-tree", ["HEAD"], null, CancellationToken.None);

        Assert.DoesNotContain("KRATIX_GIT_PASSWORD", RecordedEnvironment().Keys);
        Assert.DoesNotContain(File.ReadAllLines(_temp.Combine("argv")), a => a.Contains("credential.helper", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_helper_answers_get_with_the_variables_and_ignores_store_and_erase()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Run the helper exactly as git runs a "!" helper: through the shell, with the action appended.
        async Task<string> RunHelper(string action)
        {
            var info = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardInput = true };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(GitBasicCredentials.Helper[1..] + " \"$@\"");
            info.ArgumentList.Add("helper");
            info.ArgumentList.Add(action);
            info.Environment["KRATIX_GIT_USERNAME"] = "bot";
            info.Environment["KRATIX_GIT_PASSWORD"] = "p'a\"s$s `x` %s\\n";
            using var process = System.Diagnostics.Process.Start(info)!;
            process.StandardInput.Close();
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.Equal(0, process.ExitCode);
            return output;
        }

        Assert.Equal("username=bot\npassword=p'a\"s$s `x` %s\\n\n", await RunHelper("get"));
        Assert.Equal("", await RunHelper("store"));
        Assert.Equal("", await RunHelper("erase"));
    }

    [Fact]
    public void Basic_credentials_refuse_what_the_credential_protocol_cannot_carry_and_never_print_the_password()
    {
        Assert.Equal("StateStoreCredentialsInvalid", Assert.Throws<KratixException>(() => new GitBasicCredentials("bot", "")).ErrorId);
        var newline = Assert.Throws<KratixException>(() => new GitBasicCredentials("bot", "line1\nline2"));
        Assert.DoesNotContain("line1", newline.Message);
        Assert.Throws<KratixException>(() => new GitBasicCredentials("bot\nprotocol=file", "x"));

        var credentials = new GitBasicCredentials("", Password);
        Assert.Equal("x-access-token", credentials.Username);
        Assert.DoesNotContain(Password, credentials.ToString());
        Assert.DoesNotContain(Password, new GitStateStoreOptions { Url = "u", WorkingDirectory = "w", Credentials = credentials }.ToString());
    }

    [Fact]
    public void The_ssh_command_names_the_key_and_known_hosts_and_refuses_unknown_hosts_and_prompts()
    {
        Assert.Equal(
            "ssh -i '/keys/id_ed25519' -o IdentitiesOnly=yes -o UserKnownHostsFile='/keys/known_hosts' -o StrictHostKeyChecking=yes -o BatchMode=yes",
            GitSshCredentials.SshCommand("/keys/id_ed25519", "/keys/known_hosts"));
        Assert.Equal(
            "ssh -i '/keys/id' -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -o BatchMode=yes",
            GitSshCredentials.SshCommand("/keys/id", null));
        Assert.Equal("'/it'\\''s a key; rm -rf $HOME'", GitSshCredentials.ShellQuote("/it's a key; rm -rf $HOME"));
    }

    [Fact]
    public void Ssh_credentials_take_one_key_and_at_most_one_known_hosts()
    {
        Assert.Throws<KratixException>(() => new GitSshCredentials());
        Assert.Throws<KratixException>(() => new GitSshCredentials(privateKeyPath: "/k", privateKey: "KEY"));
        Assert.Throws<KratixException>(() => new GitSshCredentials(privateKeyPath: "/k", knownHostsPath: "/h", knownHosts: "host key"));
        Assert.Equal(Path.GetFullPath("relative/id"), new GitSshCredentials(privateKeyPath: "relative/id").PrivateKeyPath);
    }

    [Fact]
    public async Task A_key_file_path_goes_to_GIT_SSH_COMMAND_as_is()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var git = new GitProcess(executable: FakeGit(),
            credentials: new GitSshCredentials(privateKeyPath: "/home/me/.ssh/kratix key", knownHostsPath: "/home/me/.ssh/known_hosts"));

        await git.RunAsync("push", ["origin"], null, CancellationToken.None, remoteUrl: "ssh://git@git.example.com/state.git");

        var environment = RecordedEnvironment();
        Assert.Equal(GitSshCredentials.SshCommand("/home/me/.ssh/kratix key", "/home/me/.ssh/known_hosts"), environment["GIT_SSH_COMMAND"]);
        Assert.Equal("ssh", environment["GIT_SSH_VARIANT"]);
        Assert.DoesNotContain(File.ReadAllLines(_temp.Combine("argv")), a => a.Contains("ssh", StringComparison.Ordinal) && !a.StartsWith("--config-env", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Key_content_is_written_to_a_private_file_for_the_git_process_and_removed_after()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const string key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ-S3CRET\n-----END OPENSSH PRIVATE KEY-----";
        // While "git" runs: where the key and known_hosts files are, their modes and their directory's mode.
        var git = new GitProcess(
            executable: FakeGit(
                "eval \"set -- $GIT_SSH_COMMAND\"\n" +
                "kh=${7#UserKnownHostsFile=}\n" +
                "printf '%s\\n' \"$3\" \"$kh\" > \"$out/paths\"\n" +
                "stat -c '%a' \"$3\" \"$kh\" \"$(dirname \"$3\")\" > \"$out/modes\"\n" +
                "cmp -s \"$kh\" /dev/null; echo $? >> \"$out/modes\""),
            credentials: new GitSshCredentials(privateKey: key, knownHosts: "git.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"));

        await git.RunAsync("fetch", ["origin"], null, CancellationToken.None, remoteUrl: "ssh://git@git.example.com/state.git");

        var paths = File.ReadAllLines(_temp.Combine("paths"));
        Assert.EndsWith("/id", paths[0]);
        Assert.EndsWith("/known_hosts", paths[1]);
        Assert.Equal(["600", "600", "700", "1"], File.ReadAllLines(_temp.Combine("modes")));
        Assert.False(File.Exists(paths[0]), "the key file was left behind");
        Assert.False(Directory.Exists(Path.GetDirectoryName(paths[0])), "the key's directory was left behind");
        Assert.DoesNotContain("S3CRET", File.ReadAllText(_temp.Combine("argv")));
    }

    [Fact]
    public void The_redactor_masks_secret_values_longest_first_as_well_as_url_credentials()
    {
        var text = "fatal: token abc123secret and abc123 at https://u:p@host/x and again abc123secret";
        Assert.Equal("fatal: token *** and *** at https://***@host/x and again ***",
            SecretRedactor.Redact(text, ["abc123", "abc123secret"]));
        Assert.Equal("nothing", SecretRedactor.Redact("nothing", ["", "absent"]));
    }

    [Fact]
    public void A_private_keys_lines_are_secret_values_and_its_armour_is_not()
    {
        const string key = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAABBBBCCCCDDDDEEEE\nshort\n-----END OPENSSH PRIVATE KEY-----\n";
        var values = new GitSshCredentials(privateKey: key).SecretValues;
        Assert.Contains("AAAABBBBCCCCDDDDEEEE", values);
        Assert.DoesNotContain(values, v => v.StartsWith("-----", StringComparison.Ordinal) && !v.Contains('\n'));
        Assert.Equal("*** and ***", SecretRedactor.Redact("AAAABBBBCCCCDDDDEEEE and " + key.Trim(), values));
        Assert.Empty(new GitSshCredentials(privateKeyPath: "/k").SecretValues);
    }
}
