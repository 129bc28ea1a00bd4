using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Kratix.StateStores;

namespace Kratix.Tests.StateStores;

/// <summary>
/// A real S3-compatible server for tests: s3rver 3.7.1 run by node through <c>tests/tools/s3rver/serve.js</c> on
/// 127.0.0.1 and a port the OS picks, with its data in a temporary directory, killed on dispose. serve.js adds AWS
/// SigV4 verification (s3rver checks only that the access key id exists), read-only keys, a line per request, and
/// injected 503s. Each server has its own random secret keys, so a test can look for them anywhere. .ci/run installs
/// node and s3rver; when either is missing the constructor throws, so the tests fail rather than skip.
/// </summary>
public sealed class S3Server : IDisposable
{
    public const string AccessKeyId = "KRATIXTESTWRITER";
    public const string ReadOnlyAccessKeyId = "KRATIXTESTREADER";

    private static readonly string ToolDirectory = Path.Combine(TestPaths.RepositoryRoot, "tests", "tools", "s3rver");
    private readonly Process _process;
    private readonly TempDirectory _data = new();
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public S3Server()
    {
        // Never ask an instance metadata service for credentials (authMethod IAM without variables would).
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        var node = FindOnPath("node") ?? throw new InvalidOperationException(
            "node is not installed, and the S3 state store tests run s3rver with it: install nodejs and npm (apt-get install nodejs npm), then build the tests again (the test project runs 'npm ci --prefix tests/tools/s3rver' when s3rver is missing). .ci/run installs them.");
        var script = Path.Combine(ToolDirectory, "serve.js");
        if (!File.Exists(Path.Combine(ToolDirectory, "node_modules", "s3rver", "package.json")))
        {
            throw new InvalidOperationException(
                $"s3rver is not installed in {ToolDirectory}/node_modules: run 'npm ci --prefix tests/tools/s3rver' (the test project's build does when npm is installed).");
        }

        SecretAccessKey = "writer-secret-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        ReadOnlySecretAccessKey = "reader-secret-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        DataDirectory = _data.Combine("s3rver");
        Directory.CreateDirectory(DataDirectory);

        var info = new ProcessStartInfo(node)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = ToolDirectory,
        };
        info.ArgumentList.Add(script);
        // Keys through the environment, as the product passes secrets: never on a command line.
        info.Environment["S3RVER_DIRECTORY"] = DataDirectory;
        info.Environment["S3RVER_KEYS"] = $"{AccessKeyId}:{SecretAccessKey}";
        info.Environment["S3RVER_READONLY_KEYS"] = $"{ReadOnlyAccessKeyId}:{ReadOnlySecretAccessKey}";
        _process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {node} {script}.");
        _process.OutputDataReceived += (_, e) => Received(e.Data);
        _process.ErrorDataReceived += (_, e) => Received(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var started = Task.WhenAny(_listening.Task, Task.Delay(TimeSpan.FromSeconds(30)), _process.WaitForExitAsync()).GetAwaiter().GetResult();
        if (started != _listening.Task)
        {
            var why = _process.HasExited ? $"it exited with code {_process.ExitCode}" : "it did not say it was listening within 30 s";
            Dispose();
            throw new InvalidOperationException($"s3rver did not start ({why}). Its output:\n{string.Join('\n', _output)}");
        }

        Port = _listening.Task.Result;
        WaitUntilItAnswers();
    }

    public int Port { get; }

    /// <summary>The endpoint in upstream's form (host:port; with spec.insecure: true it is http).</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    public Uri ServiceUrl => new($"http://127.0.0.1:{Port}");

    public string SecretAccessKey { get; }

    public string ReadOnlySecretAccessKey { get; }

    /// <summary>Where s3rver keeps the buckets and their objects.</summary>
    public string DataDirectory { get; }

    /// <summary>Everything the server printed so far (its log and one line per request).</summary>
    public IReadOnlyList<string> Output => [.. _output];

    public BucketCredentials Credentials => new(AccessKeyId, SecretAccessKey);

    public BucketCredentials ReadOnlyCredentials => new(ReadOnlyAccessKeyId, ReadOnlySecretAccessKey);

    /// <summary>The requests served so far whose path starts with <paramref name="pathPrefix"/> (e.g. "/bucket/key"), as (method, path and query, status).</summary>
    /// <summary>
    /// The requests the server answered so far, in order. The server logs each when its answer is sent, on its output,
    /// which arrives here a little later: a sync request's line is waited for first, so every earlier line is in.
    /// </summary>
    public IReadOnlyList<(string Method, string Url, int Status)> Requests(string pathPrefix = "/")
    {
        var id = Guid.NewGuid().ToString("N");
        using (var http = new HttpClient())
        {
            http.GetAsync(new Uri(ServiceUrl, "__kratix-test/sync?id=" + id)).GetAwaiter().GetResult().EnsureSuccessStatusCode();
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_output.Any(line => line.Contains(id, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The S3 test server's log of its sync request never arrived.");
            }

            Thread.Sleep(5);
        }

        return _output
            .Where(line => line.StartsWith("kratix-test-request ", StringComparison.Ordinal) && !line.Contains(" /__kratix-test/", StringComparison.Ordinal))
            .Select(line => line.Split(' '))
            .Select(parts => (parts[1], parts[2], int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture)))
            .Where(r => r.Item2.StartsWith(pathPrefix, StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>A new empty bucket with a name no other test uses.</summary>
    public string NewBucket()
    {
        var name = "b-" + Guid.NewGuid().ToString("N")[..16];
        using var client = Client();
        client.PutBucketAsync(name).GetAwaiter().GetResult();
        return name;
    }

    /// <summary>A client with the writer's key, for looking at the bucket behind the writer's back.</summary>
    public AmazonS3Client Client() =>
        new(new BasicAWSCredentials(AccessKeyId, SecretAccessKey), new AmazonS3Config { ServiceURL = ServiceUrl.ToString(), ForcePathStyle = true, MaxErrorRetry = 0 });

    /// <summary>A writer on <paramref name="bucket"/>, with the writer's key unless told otherwise.</summary>
    public S3StateStoreWriter Writer(string bucket, string basePath = "", BucketCredentials? credentials = null, int maxRetries = 3) =>
        new(new S3StateStoreOptions
        {
            ServiceUrl = ServiceUrl,
            BucketName = bucket,
            BasePath = basePath,
            Credentials = credentials ?? Credentials,
            CredentialsSource = "the test's credentials",
            MaxRetries = maxRetries,
        });

    /// <summary>Every key in <paramref name="bucket"/>, sorted.</summary>
    public IReadOnlyList<string> Keys(string bucket)
    {
        using var client = Client();
        var response = client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }).GetAwaiter().GetResult();
        return (response.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The object's content as text, or null.</summary>
    public string? Text(string bucket, string key)
    {
        using var client = Client();
        try
        {
            using var response = client.GetObjectAsync(bucket, key).GetAwaiter().GetResult();
            using var reader = new StreamReader(response.ResponseStream);
            return reader.ReadToEnd();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Makes the next <paramref name="count"/> requests fail with 503 SlowDown.</summary>
    public void FailNext(int count)
    {
        using var http = new HttpClient();
        http.PostAsync(new Uri(ServiceUrl, $"/__kratix-test/fail-next?count={count}"), null).GetAwaiter().GetResult().EnsureSuccessStatusCode();
    }

    /// <summary>Every file under the server's data directory whose content contains <paramref name="text"/>.</summary>
    public IReadOnlyList<string> DataFilesContaining(string text) =>
        Directory.EnumerateFiles(DataDirectory, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains(text, StringComparison.Ordinal))
            .ToList();

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                // serve.js exits when its standard input closes; kill it if that does not do.
                _process.StandardInput.Close();
                if (!_process.WaitForExit(5000))
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
        _data.Dispose();
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (line.StartsWith("kratix-test-listening ", StringComparison.Ordinal))
        {
            _listening.TrySetResult(int.Parse(line["kratix-test-listening ".Length..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private void WaitUntilItAnswers()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (; ; )
        {
            try
            {
                // Any HTTP answer will do (an anonymous request is refused): the server is up.
                using var _ = http.GetAsync(ServiceUrl).GetAwaiter().GetResult();
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
