using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Kratix.StateStores;

namespace Kratix.Tests.StateStores;

/// <summary>
/// The Git writer over real SSH: an OpenSSH server (<c>sshd</c>, Debian's openssh-server) started for the test on
/// 127.0.0.1 with its own host key, accepting one generated client key. Where sshd cannot run (not installed, or running
/// as root without its privilege-separation directory /run/sshd), the tests fail and say what .ci/run installs: like the
/// podman and bwrap tests, they never pass vacuously. How the ssh command and key files are built is also checked
/// without a server in <see cref="GitCredentialsTests"/>.
/// </summary>
[Collection(SshScratch.Name)]
public sealed class GitSshTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SshServer _server;
    private readonly GitRemote _remote;

    public GitSshTests()
    {
        _remote = new GitRemote(_temp);
        _server = SshServer.TryStart(_temp)
            ?? throw new InvalidOperationException("sshd could not be started on 127.0.0.1; .ci/run installs openssh-server and creates /run/sshd (apt-get install openssh-server).");
    }

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    private string Url => $"ssh://{Environment.UserName}@127.0.0.1:{_server.Port}{_remote.Path}";

    private GitStateStoreWriter Writer(GitCredentials credentials, string name = "wc") => new(new GitStateStoreOptions
    {
        Url = Url,
        WorkingDirectory = _temp.Combine(name),
        Credentials = credentials,
        Environment = new Dictionary<string, string> { ["GIT_CONFIG_GLOBAL"] = "/dev/null", ["GIT_CONFIG_NOSYSTEM"] = "1" },
    });

    private static StateStoreChange Change(string path, string content) =>
        new($"Update from: {path}", [new StateStoreFile(path, Encoding.UTF8.GetBytes(content))], []);

    [Fact]
    public async Task A_key_file_and_a_known_hosts_file_push_and_pass_the_access_check()
    {

        await using var writer = Writer(new GitSshCredentials(privateKeyPath: _server.ClientKeyPath, knownHostsPath: _server.KnownHostsPath));

        await writer.WriteAsync([Change("a.yaml", "1")]);
        var refs = _remote.Refs();
        var access = await writer.CheckAccessAsync();

        Assert.Equal("1", _remote.Show("a.yaml"));
        Assert.True(access.Ok, access.Message);
        Assert.Equal(refs, _remote.Refs());
    }

    [Fact]
    public async Task Key_and_known_hosts_given_as_content_push_and_leave_no_file_behind()
    {

        var key = File.ReadAllText(_server.ClientKeyPath);
        var scratchBefore = ScratchDirectories();
        await using var writer = Writer(new GitSshCredentials(privateKey: key, knownHosts: File.ReadAllText(_server.KnownHostsPath)));

        await writer.WriteAsync([Change("a.yaml", "1")]);

        Assert.Equal("1", _remote.Show("a.yaml"));
        Assert.Equal(scratchBefore, ScratchDirectories());
        var keyBody = key.Split('\n')[1];
        GitAuthenticationTests.AssertNoFileContains(_temp.Combine("wc"), keyBody);
    }

    [Fact]
    public async Task A_key_the_server_does_not_accept_fails_clearly_without_showing_the_key()
    {

        var otherKey = File.ReadAllText(_server.HostKeyPath); // a valid private key, but not an authorised one
        await using var writer = Writer(new GitSshCredentials(privateKey: otherKey, knownHostsPath: _server.KnownHostsPath));

        var error = await Assert.ThrowsAsync<KratixException>(() => writer.WriteAsync([Change("a.yaml", "1")]));

        Assert.Equal("GitCommandFailed", error.ErrorId);
        Assert.Contains("Permission denied (publickey)", error.Message);
        foreach (var line in otherKey.Split('\n').Where(l => l.Length > 16 && !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line, error.ToString());
        }

        Assert.Null(_remote.Head());
    }

    [Fact]
    public async Task An_unknown_host_key_is_refused_rather_than_trusted_on_first_use()
    {

        var emptyKnownHosts = _temp.Combine("empty_known_hosts");
        File.WriteAllText(emptyKnownHosts, "");
        await using var writer = Writer(new GitSshCredentials(privateKeyPath: _server.ClientKeyPath, knownHostsPath: emptyKnownHosts));

        var access = await writer.CheckAccessAsync();

        Assert.False(access.Read);
        Assert.Contains("Host key verification failed", access.Message);
        Assert.Equal("", File.ReadAllText(emptyKnownHosts));
    }

    private static List<string> ScratchDirectories() =>
        Directory.EnumerateDirectories(Path.GetTempPath(), "kratix-ssh-*").Order(StringComparer.Ordinal).ToList();

    /// <summary>sshd on 127.0.0.1 with a fresh host key, accepting one fresh client key for the current user.</summary>
    private sealed class SshServer : IDisposable
    {
        private readonly Process _process;

        private SshServer(Process process, int port, string directory)
        {
            _process = process;
            Port = port;
            HostKeyPath = Path.Combine(directory, "host_key");
            ClientKeyPath = Path.Combine(directory, "client_key");
            KnownHostsPath = Path.Combine(directory, "known_hosts");
        }

        public int Port { get; }

        public string HostKeyPath { get; }

        public string ClientKeyPath { get; }

        public string KnownHostsPath { get; }

        public static SshServer? TryStart(TempDirectory temp)
        {
            const string sshd = "/usr/sbin/sshd";
            if (!OperatingSystem.IsLinux() || !File.Exists(sshd) || !Tool("ssh-keygen", "-?").HasValue)
            {
                return null;
            }

            if (Environment.UserName == "root" && !Directory.Exists("/run/sshd"))
            {
                // sshd running as root needs its privilege-separation directory; systemd (or .ci/run) creates it, the tests do not.
                return null;
            }

            var directory = temp.Combine("sshd");
            Directory.CreateDirectory(directory);
            foreach (var key in new[] { "host_key", "client_key" })
            {
                if (Tool("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", key, "-f", Path.Combine(directory, key)) != 0)
                {
                    return null;
                }
            }

            File.Copy(Path.Combine(directory, "client_key.pub"), Path.Combine(directory, "authorized_keys"));
            var port = FreePort();
            var hostPublic = File.ReadAllText(Path.Combine(directory, "host_key.pub")).Split(' ');
            File.WriteAllText(Path.Combine(directory, "known_hosts"), $"[127.0.0.1]:{port} {hostPublic[0]} {hostPublic[1]}\n");
            File.WriteAllText(Path.Combine(directory, "sshd_config"), string.Join('\n',
                $"Port {port}",
                "ListenAddress 127.0.0.1",
                $"HostKey {directory}/host_key",
                $"AuthorizedKeysFile {directory}/authorized_keys",
                $"AllowUsers {Environment.UserName}",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "UsePAM no",
                $"PidFile {directory}/sshd.pid",
                ""));

            var info = new ProcessStartInfo(sshd) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in new[] { "-D", "-e", "-f", Path.Combine(directory, "sshd_config") })
            {
                info.ArgumentList.Add(argument);
            }

            var process = Process.Start(info)!;
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var server = new SshServer(process, port, directory);
            for (var waited = 0; waited < 100; waited++)
            {
                if (process.HasExited)
                {
                    return null;
                }

                try
                {
                    using var client = new TcpClient();
                    client.Connect(IPAddress.Loopback, port);
                    return server;
                }
                catch (SocketException)
                {
                    Thread.Sleep(50);
                }
            }

            server.Dispose();
            return null;
        }

        public void Dispose()
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
        }

        private static int? Tool(string name, params string[] arguments)
        {
            var info = new ProcessStartInfo(name) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            try
            {
                using var process = Process.Start(info)!;
                process.StandardOutput.ReadToEnd();
                process.StandardError.ReadToEnd();
                process.WaitForExit();
                return process.ExitCode;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }

        private static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }
    }
}

/// <summary>Tests that make SSH key scratch directories (kratix-ssh-* in the temporary directory) and check none is left: not run in parallel.</summary>
[CollectionDefinition(Name)]
public sealed class SshScratch
{
    public const string Name = "SSH key scratch directories";
}
