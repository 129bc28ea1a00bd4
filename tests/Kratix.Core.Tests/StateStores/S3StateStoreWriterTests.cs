using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.S3.Model;
using Kratix.StateStores;

namespace Kratix.Tests.StateStores;

/// <summary>
/// <see cref="S3StateStoreWriter"/> against a real S3-compatible server (<see cref="S3Server"/>: s3rver with SigV4
/// checked), each test in a bucket of its own, checked with a separate client and the server's request log.
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class S3StateStoreWriterTests(S3Server server)
{
    private const string Base = "platform";

    private static StateStoreFile File(string path, string content) => new(path, Encoding.UTF8.GetBytes(content));

    private IReadOnlyList<(string Method, string Url, int Status)> Puts(string bucket, string key) =>
        server.Requests($"/{bucket}/{key}").Where(r => r.Method == "PUT" && r.Url.Split('?')[0] == $"/{bucket}/{key}").ToList();

    [Fact]
    public async Task Writes_each_file_byte_for_byte_under_the_base_path()
    {
        var bucket = server.NewBucket();
        await using var writer = server.Writer(bucket, Base);
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var large = new string('x', 300_000);

        var result = await writer.WriteAsync([new StateStoreChange("Update from: wp",
            [File("dependencies/p/5058f/a.yaml", "a: 1\r\n"), File("b.yaml", large), new StateStoreFile("bin/raw", binary), File("sp ace/ü.yaml", "u")], [])]);

        Assert.Equal(new StateStoreWriteResult(null, true, 1, [0]), result);
        Assert.Equal(["platform/b.yaml", "platform/bin/raw", "platform/dependencies/p/5058f/a.yaml", "platform/sp ace/ü.yaml"], server.Keys(bucket));
        Assert.Equal("a: 1\r\n", server.Text(bucket, "platform/dependencies/p/5058f/a.yaml"));
        Assert.Equal(large, server.Text(bucket, "platform/b.yaml"));
        Assert.Equal(binary, await writer.ReadFileAsync("bin/raw"));
        Assert.Equal("u", Encoding.UTF8.GetString((await writer.ReadFileAsync("sp ace/ü.yaml"))!));
    }

    [Fact]
    public async Task A_file_whose_etag_is_the_md5_of_its_content_is_not_put_again()
    {
        var bucket = server.NewBucket();
        await using var writer = server.Writer(bucket, Base);
        await writer.WriteAsync([new StateStoreChange("one", [File("a.yaml", "same"), File("b.yaml", "old")], [])]);
        using var client = server.Client();
        var before = (await client.GetObjectMetadataAsync(bucket, "platform/a.yaml")).LastModified;

        var again = await writer.WriteAsync([new StateStoreChange("two", [File("a.yaml", "same")], [])]);
        var changed = await writer.WriteAsync([new StateStoreChange("three", [File("a.yaml", "same"), File("b.yaml", "new")], [])]);

        Assert.Equal(new StateStoreWriteResult(null, false, 0, []), again);
        Assert.Equal(new StateStoreWriteResult(null, true, 1, [0]), changed);
        Assert.Single(Puts(bucket, "platform/a.yaml"));
        Assert.Equal(2, Puts(bucket, "platform/b.yaml").Count);
        Assert.Equal(before, (await client.GetObjectMetadataAsync(bucket, "platform/a.yaml")).LastModified);
        Assert.Equal("new", server.Text(bucket, "platform/b.yaml"));
    }

    [Fact]
    public async Task Replace_directory_removes_stale_objects_only_under_that_directory_and_needs_no_lookup_per_file()
    {
        var bucket = server.NewBucket();
        await using var writer = server.Writer(bucket, Base);
        await writer.WriteAsync([new StateStoreChange("first",
            [File("res/id5/keep.yaml", "1"), File("res/id5/same.yaml", "1"), File("res/id5/stale.yaml", "1"), File("res/id5/sub/stale.yaml", "1"),
             File("res/id5x/sibling.yaml", "1"), File("res/other/untouched.yaml", "1")], [])]);
        var lookups = Lookups();

        var result = await writer.WriteAsync([new StateStoreChange("second", [File("res/id5/keep.yaml", "2"), File("res/id5/same.yaml", "1"), File("res/id5/new.yaml", "2")], [], "res/id5")]);
        var lookupsMade = Lookups() - lookups;

        Assert.True(result.Changed);
        Assert.Equal(["res/id5/keep.yaml", "res/id5/new.yaml", "res/id5/same.yaml", "res/id5x/sibling.yaml", "res/other/untouched.yaml"], await writer.ListFilesAsync(""));
        Assert.Equal("2", server.Text(bucket, "platform/res/id5/keep.yaml"));
        Assert.Single(Puts(bucket, "platform/res/id5/same.yaml"));
        // One listing of res/id5 gave the ETags of keep.yaml and same.yaml; only new.yaml needed a lookup of its own.
        Assert.Equal(2, lookupsMade);

        int Lookups() => server.Requests($"/{bucket}/?list-type=2").Count;
    }

    [Fact]
    public async Task Replace_directory_with_no_files_empties_it()
    {
        var bucket = server.NewBucket();
        await using var writer = server.Writer(bucket, Base);
        await writer.WriteAsync([new StateStoreChange("first", [File("a/b/id5/x.yaml", "1"), File("a/b/id5/y/z.yaml", "1"), File("top.yaml", "1")], [])]);

        var result = await writer.WriteAsync([new StateStoreChange("second", [], [], "a/b/id5")]);
        var again = await writer.WriteAsync([new StateStoreChange("third", [], [], "a/b/id5")]);

        Assert.True(result.Changed);
        Assert.False(again.Changed);
        Assert.Equal(["platform/top.yaml"], server.Keys(bucket));
    }

    [Fact]
    public async Task Deletions_remove_files_and_directories_and_report_a_change_only_when_something_went()
    {
        var bucket = server.NewBucket();
        await using var writer = server.Writer(bucket, Base);
        await writer.WriteAsync([new StateStoreChange("first",
            [File("a/b/c/file.yaml", "1"), File("a/keep.yaml", "1"), File("d/e/f.yaml", "1"), File("d/e/g/h.yaml", "1"), File("dx/kept.yaml", "1")], [])]);

        var result = await writer.WriteAsync([new StateStoreChange("Delete from: wp", [], ["a/b/c/file.yaml", "d", "missing/file.yaml"])]);
        var absent = await writer.WriteAsync([new StateStoreChange("Delete from: wp", [], ["a/b/c/file.yaml", "d"])]);

        Assert.True(result.Changed);
        Assert.False(absent.Changed);
        Assert.Equal(["platform/a/keep.yaml", "platform/dx/kept.yaml"], server.Keys(bucket));
    }

    [Fact]
    public async Task Deletion_and_write_of_the_same_path_leaves_the_file_written()
    {
        var bucket = server.NewBucket();
        await using var writer = server.Writer(bucket, Base);
        await writer.WriteAsync([new StateStoreChange("seed", [File("x/a.yaml", "old"), File("x/b.yaml", "old")], [])]);

        await writer.WriteAsync([new StateStoreChange("c", [File("x/a.yaml", "new")], ["x"])]);

        Assert.Equal(["platform/x/a.yaml"], server.Keys(bucket));
        Assert.Equal("new", server.Text(bucket, "platform/x/a.yaml"));
    }

    [Theory]
    [InlineData("../escape.yaml")]
    [InlineData("/abs.yaml")]
    [InlineData("")]
    [InlineData(".git/config")]
    [InlineData("bad\u0001name")]
    [InlineData("a/con.yaml")]
    [InlineData("what?.yaml")]
    public async Task A_bad_path_in_any_change_means_nothing_is_sent(string badPath)
    {
        var bucket = server.NewBucket();
        await using var writer = server.Writer(bucket, Base);
        var requests = server.Requests($"/{bucket}").Count;
        var changes = new[]
        {
            new StateStoreChange("Update from: good", [File("good.yaml", "1")], []),
            new StateStoreChange("Update from: bad", [File("fine.yaml", "1"), File(badPath, "x")], []),
        };

        var error = await Assert.ThrowsAsync<KratixException>(() => writer.WriteAsync(changes));

        Assert.Equal("StateStorePathEscapes", error.ErrorId);
        Assert.Contains("Update from: bad", error.Message);
        Assert.Equal(requests, server.Requests($"/{bucket}").Count);
        Assert.Empty(server.Keys(bucket));
    }

    [Theory]
    [InlineData("deletion")]
    [InlineData("replace")]
    public async Task Bad_deletions_and_replace_directories_are_refused_before_anything_changes(string kind)
    {
        var bucket = server.NewBucket();
        await using (var outsideWriter = server.Writer(bucket))
        {
            await outsideWriter.WriteAsync([new StateStoreChange("seed", [File("outside.yaml", "precious"), File("platform/keep.yaml", "1")], [])]);
        }

        await using var writer = server.Writer(bucket, Base);
        var bad = kind == "deletion"
            ? new StateStoreChange("Delete from: wp", [], ["../outside.yaml"])
            : new StateStoreChange("Update from: wp", [File("x.yaml", "1")], [], "..");
        var error = await Assert.ThrowsAsync<KratixException>(() => writer.WriteAsync([new StateStoreChange("first", [], ["keep.yaml"]), bad]));

        Assert.Equal("StateStorePathEscapes", error.ErrorId);
        Assert.Equal(["outside.yaml", "platform/keep.yaml"], server.Keys(bucket));
    }

    [Fact]
    public async Task Reads_and_lists_only_the_files_of_the_store()
    {
        var bucket = server.NewBucket();
        await using var writer = server.Writer(bucket, Base);
        Assert.Null(await writer.ReadFileAsync("a.yaml"));
        Assert.Empty(await writer.ListFilesAsync(""));

        await writer.WriteAsync([new StateStoreChange("c", [File("b/z.yaml", "z"), File("b/a.yaml", "a"), File("B.yaml", "B"), File("a.yaml", "1")], [])]);
        using (var client = server.Client())
        {
            // Written by other tools: a folder marker, a key no state path can name, and an object outside the base path.
            foreach (var key in new[] { "platform/b/", "platform/b/con.yaml", "platformx/other.yaml" })
            {
                await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "foreign", UseChunkEncoding = false });
            }
        }

        Assert.Equal("z", Encoding.UTF8.GetString((await writer.ReadFileAsync(@"b\z.yaml"))!));
        Assert.Null(await writer.ReadFileAsync("b"));
        Assert.Equal(["B.yaml", "a.yaml", "b/a.yaml", "b/z.yaml"], await writer.ListFilesAsync(""));
        Assert.Equal(["b/a.yaml", "b/z.yaml"], await writer.ListFilesAsync("./b/"));
        Assert.Empty(await writer.ListFilesAsync("missing"));
        await Assert.ThrowsAsync<KratixException>(() => writer.ReadFileAsync("../x"));
        await Assert.ThrowsAsync<KratixException>(() => writer.ListFilesAsync("../"));
    }

    [Fact]
    public async Task The_access_check_starts_a_multipart_upload_and_leaves_no_object()
    {
        var bucket = server.NewBucket();
        await using var writer = server.Writer(bucket, Base);

        var access = await writer.CheckAccessAsync();
        await writer.ValidatePermissionsAsync();

        Assert.True(access.Ok, access.Message);
        Assert.Contains($"the S3 bucket '{bucket}' at {server.ServiceUrl.GetLeftPart(UriPartial.Authority)}", access.Message);
        Assert.Contains("multipart upload of 'platform/.kratix-write-permission-check'", access.Message);
        Assert.Contains(server.Requests($"/{bucket}/platform/.kratix-write-permission-check"), r => r.Method == "POST" && r.Url.EndsWith("?uploads", StringComparison.Ordinal) && r.Status == 200);
        Assert.Empty(server.Keys(bucket));
        Assert.Empty(await writer.ListFilesAsync(""));
    }

    [Fact]
    public async Task Read_only_credentials_can_read_but_not_write_and_the_check_says_so()
    {
        var bucket = server.NewBucket();
        await using var writer = server.Writer(bucket, Base, server.ReadOnlyCredentials);

        var access = await writer.CheckAccessAsync();
        var write = await Assert.ThrowsAsync<KratixException>(() => writer.WriteAsync([new StateStoreChange("Update from: wp", [File("a.yaml", "1")], [])]));

        Assert.True(access.Read);
        Assert.False(access.Write);
        Assert.Equal("StateStoreNotWritable", access.Error!.ErrorId);
        Assert.Contains($"the S3 bucket '{bucket}'", access.Message);
        Assert.Contains("AccessDenied (HTTP 403)", access.Message);
        Assert.Contains("s3:PutObject", access.Message);
        Assert.Equal("StateStoreWriteFailed", write.ErrorId);
        Assert.Contains("write 'platform/a.yaml' (change 'Update from: wp')", write.Message);
        Assert.Empty(server.Keys(bucket));
    }

    [Fact]
    public async Task A_wrong_secret_key_is_named_as_the_problem_and_never_shown()
    {
        var bucket = server.NewBucket();
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        await using var writer = server.Writer(bucket, Base, new BucketCredentials(S3Server.AccessKeyId, wrong));

        var access = await writer.CheckAccessAsync();
        var write = await Assert.ThrowsAsync<KratixException>(() => writer.WriteAsync([new StateStoreChange("Update from: wp", [File("a.yaml", "1")], [])]));
        var read = await Assert.ThrowsAsync<KratixException>(() => writer.ReadFileAsync("a.yaml"));

        Assert.False(access.Read);
        Assert.False(access.Write);
        Assert.Equal("StateStoreNotReadable", access.Error!.ErrorId);
        Assert.EndsWith("Write access was not checked.", access.Message);
        foreach (var message in new[] { access.Message, write.Message, read.Message })
        {
            Assert.Contains($"the S3 bucket '{bucket}'", message);
            Assert.Contains("SignatureDoesNotMatch (HTTP 403)", message);
            Assert.Contains("correct secretAccessKey there", message);
            Assert.DoesNotContain(wrong, message);
            Assert.DoesNotContain(server.SecretAccessKey, message);
        }

        Assert.DoesNotContain(server.Output, line => line.Contains(wrong, StringComparison.Ordinal));
        Assert.Empty(server.DataFilesContaining(wrong));
        Assert.Empty(server.Keys(bucket));
    }

    [Fact]
    public async Task An_unknown_access_key_and_a_missing_bucket_say_what_to_fix()
    {
        await using var unknown = server.Writer(server.NewBucket(), Base, new BucketCredentials("NOSUCHKEY", "whatever-secret"));
        await using var missing = server.Writer("no-such-bucket", Base);

        var unknownAccess = await unknown.CheckAccessAsync();
        var missingWrite = await Assert.ThrowsAsync<KratixException>(() => missing.WriteAsync([new StateStoreChange("c", [File("a.yaml", "1")], [])]));

        Assert.Contains("InvalidAccessKeyId (HTTP 403)", unknownAccess.Message);
        Assert.Contains("does not know the access key id 'NOSUCHKEY' from the test's credentials", unknownAccess.Message);
        Assert.DoesNotContain("whatever-secret", unknownAccess.Message);
        Assert.Contains("NoSuchBucket (HTTP 404)", missingWrite.Message);
        Assert.Contains("Create the bucket 'no-such-bucket'", missingWrite.Message);
    }

    [Fact]
    public async Task Transient_failures_are_retried_a_bounded_number_of_times()
    {
        var bucket = server.NewBucket();
        await using var writer = server.Writer(bucket, Base, maxRetries: 2);

        server.FailNext(2);
        var recovered = await writer.WriteAsync([new StateStoreChange("c", [File("a.yaml", "1")], [])]);
        server.FailNext(10);
        var error = await Assert.ThrowsAsync<KratixException>(() => writer.WriteAsync([new StateStoreChange("c", [File("b.yaml", "1")], [])]));
        server.FailNext(0);

        Assert.True(recovered.Changed);
        Assert.Equal("1", server.Text(bucket, "platform/a.yaml"));
        Assert.Equal("StateStoreWriteFailed", error.ErrorId);
        Assert.Contains("SlowDown (HTTP 503)", error.Message);
        Assert.Contains("Retried up to 2 times", error.Message);
        Assert.Null(server.Text(bucket, "platform/b.yaml"));
    }

    [Fact]
    public async Task An_endpoint_nobody_listens_on_names_the_endpoint_and_spec_insecure()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var writer = new S3StateStoreWriter(new S3StateStoreOptions
        {
            ServiceUrl = new Uri($"http://127.0.0.1:{port}"),
            BucketName = "b",
            Credentials = server.Credentials,
            MaxRetries = 1,
        });

        var access = await writer.CheckAccessAsync();

        Assert.False(access.Read);
        Assert.Contains($"the S3 bucket 'b' at http://127.0.0.1:{port}", access.Message);
        Assert.Contains("spec.insecure", access.Message);
        Assert.DoesNotContain(server.SecretAccessKey, access.Message);
    }

    [Fact]
    public async Task IAM_uses_the_sdk_credential_chain_from_the_environment()
    {
        var bucket = server.NewBucket();
        using var scratch = new TempDirectory();
        using (EnvironmentScope.AwsAccessKey(S3Server.AccessKeyId, server.SecretAccessKey, scratch.Path))
        {
            await using var writer = new S3StateStoreWriter(new S3StateStoreOptions { ServiceUrl = server.ServiceUrl, BucketName = bucket, BasePath = Base });
            Assert.True((await writer.CheckAccessAsync()).Ok);
            await writer.WriteAsync([new StateStoreChange("c", [File("a.yaml", "iam")], [])]);
            Assert.Equal("iam", server.Text(bucket, "platform/a.yaml"));
        }
    }

    [Fact]
    public async Task A_cancelled_write_sends_nothing_and_a_disposed_writer_refuses_work()
    {
        var bucket = server.NewBucket();
        var writer = server.Writer(bucket, Base);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.WriteAsync([new StateStoreChange("c", [File("a", "1")], [])], cancelled.Token));
        await writer.DisposeAsync();

        Assert.Empty(server.Keys(bucket));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.ReadFileAsync("a"));
    }
}
