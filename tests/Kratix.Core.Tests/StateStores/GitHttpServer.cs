using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kratix.Tests.StateStores;

/// <summary>
/// A real Git smart-HTTP server for tests: <c>git http-backend</c> (the CGI program that ships with git) behind an
/// <see cref="HttpListener"/> bound to 127.0.0.1, serving the bare repositories under one directory and enforcing HTTP Basic
/// authentication as a Git host would: unknown users and wrong passwords get 401, users without write access get 403 on
/// pushes (receive-pack). While each request is being served (so while the client's git processes are alive), it reads
/// <c>/proc/*/cmdline</c> of every process (with <see cref="WatchCommandLinesContinuously"/>, every millisecond or so in
/// between too) and records any command line that contains one of <see cref="WatchedSecrets"/>.
/// </summary>
public sealed class GitHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _projectRoot;
    private readonly Dictionary<string, (string Password, bool CanWrite)> _users = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();

    public GitHttpServer(string projectRoot)
    {
        _projectRoot = projectRoot;
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Someone took the port between probing and binding: try another.
            }
        }

        _loop = Task.Run(AcceptLoop);
    }

    private Thread? _poller;

    /// <summary>
    /// Also reads every process's command line about every millisecond until disposed, between requests too: short-lived
    /// processes (the credential helper's shell) come and go while git waits. It costs a core, so only leak tests use it.
    /// </summary>
    public void WatchCommandLinesContinuously()
    {
        if (!OperatingSystem.IsLinux() || _poller is not null)
        {
            return;
        }

        _poller = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                InspectCommandLines();
                Thread.Sleep(1);
            }
        }) { IsBackground = true, Name = "cmdline poller" };
        _poller.Start();
    }

    public int Port { get; }

    /// <summary>The URL of a repository under the project root.</summary>
    public string UrlOf(string repository) => $"http://127.0.0.1:{Port}/{repository}";

    /// <summary>Strings that must never appear on a command line; checked during every request.</summary>
    public ConcurrentBag<string> WatchedSecrets { get; } = [];

    /// <summary>Command lines seen during requests that contained a watched secret (should stay empty).</summary>
    public ConcurrentBag<string> LeakingCommandLines { get; } = [];

    /// <summary>How many process command lines were inspected, so a test can tell the scan really ran.</summary>
    public int CommandLinesInspected => Volatile.Read(ref _commandLinesInspected);

    /// <summary>Every request: method, path and query, the user it authenticated as (or null) and the status returned.</summary>
    public ConcurrentQueue<(string Request, string? User, int Status)> Requests { get; } = new();

    private int _commandLinesInspected;

    public void AddUser(string user, string password, bool canWrite) => _users[user] = (password, canWrite);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _poller?.Join();
        try
        {
            // Close alone: Stop then Close makes the managed listener look its endpoint up again and bind the port anew,
            // which fails when another test's server has taken that port in between.
            _listener.Close();
        }
        catch (HttpListenerException)
        {
        }

        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is ObjectDisposedException or HttpListenerException or OperationCanceledException)
        {
        }
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException or HttpListenerException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var isPush = request.Url!.AbsolutePath.EndsWith("/git-receive-pack", StringComparison.Ordinal)
            || request.QueryString["service"] == "git-receive-pack";
        var user = Authenticate(request.Headers["Authorization"]);
        InspectCommandLines();
        try
        {
            if (user is null)
            {
                Requests.Enqueue(($"{request.HttpMethod} {request.Url.PathAndQuery}", null, 401));
                response.StatusCode = 401;
                response.AddHeader("WWW-Authenticate", "Basic realm=\"kratix-test\"");
                response.Close();
                return;
            }

            if (isPush && !_users[user].CanWrite)
            {
                Requests.Enqueue(($"{request.HttpMethod} {request.Url.PathAndQuery}", user, 403));
                response.StatusCode = 403;
                response.Close();
                return;
            }

            var status = await RunBackendAsync(request, response, user).ConfigureAwait(false);
            Requests.Enqueue(($"{request.HttpMethod} {request.Url.PathAndQuery}", user, status));
        }
        catch (Exception e) when (e is IOException or HttpListenerException or ObjectDisposedException)
        {
            // The client went away.
        }
    }

    private string? Authenticate(string? header)
    {
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':');
        if (colon < 0)
        {
            return null;
        }

        var (name, password) = (decoded[..colon], decoded[(colon + 1)..]);
        return _users.TryGetValue(name, out var known) && known.Password == password ? name : null;
    }

    private async Task<int> RunBackendAsync(HttpListenerRequest request, HttpListenerResponse response, string user)
    {
        var info = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("http-backend");
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("GIT_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        info.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        info.Environment["GIT_PROJECT_ROOT"] = _projectRoot;
        info.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        info.Environment["PATH_INFO"] = Uri.UnescapeDataString(request.Url!.AbsolutePath);
        info.Environment["REQUEST_METHOD"] = request.HttpMethod;
        info.Environment["QUERY_STRING"] = request.Url.Query.TrimStart('?');
        info.Environment["CONTENT_TYPE"] = request.ContentType ?? "";
        info.Environment["REMOTE_USER"] = user;
        info.Environment["REMOTE_ADDR"] = "127.0.0.1";
        info.Environment["SERVER_PROTOCOL"] = "HTTP/1.1";
        if (request.Headers["Content-Encoding"] is { } encoding)
        {
            info.Environment["HTTP_CONTENT_ENCODING"] = encoding;
        }

        if (request.Headers["Git-Protocol"] is { } protocol)
        {
            info.Environment["GIT_PROTOCOL"] = protocol;
        }

        using var process = Process.Start(info)!;
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        await request.InputStream.CopyToAsync(process.StandardInput.BaseStream).ConfigureAwait(false);
        process.StandardInput.Close();
        await copyOut.ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        _ = await stderr.ConfigureAwait(false);

        // CGI output: header lines, a blank line, the body.
        var bytes = stdout.ToArray();
        var (headerEnd, separator) = FindHeaderEnd(bytes);
        var headers = Encoding.ASCII.GetString(bytes, 0, headerEnd).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var status = 200;
        foreach (var line in headers)
        {
            var colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }

            var (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                status = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                response.ContentType = value;
            }
            else if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                response.AddHeader(name, value);
            }
        }

        response.StatusCode = status;
        var body = bytes.AsMemory(headerEnd + separator);
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
        response.Close();
        return status;
    }

    private static (int End, int SeparatorLength) FindHeaderEnd(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length - 1; i++)
        {
            if (bytes[i] == '\n' && bytes[i + 1] == '\n')
            {
                return (i, 2);
            }

            if (i < bytes.Length - 3 && bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return (i, 4);
            }
        }

        return (bytes.Length, 0);
    }

    /// <summary>Reads every process's command line (Linux only) and records those containing a watched secret.</summary>
    private void InspectCommandLines()
    {
        if (!OperatingSystem.IsLinux() || WatchedSecrets.IsEmpty)
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out _))
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            Interlocked.Increment(ref _commandLinesInspected);
            foreach (var secret in WatchedSecrets)
            {
                if (commandLine.Contains(secret, StringComparison.Ordinal))
                {
                    LeakingCommandLines.Add(commandLine);
                }
            }
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
