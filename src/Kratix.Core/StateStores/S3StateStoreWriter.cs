using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Kratix.StateStores;

/// <summary>
/// A state store that is a bucket on an S3-compatible server (AWS S3, MinIO, Ceph, ...), written as upstream Kratix's
/// bucket writer writes it: every key under the store's base path (spec.path); a PUT is skipped when the object's ETag
/// is already the MD5 of the content; what a change replaces or deletes is removed with multi-object deletes; the
/// permission check starts and aborts a multipart upload of <c>.kratix-write-permission-check</c>, which stores nothing.
/// Within a change the files are written first and the objects it removes deleted after, so a reader never finds a
/// replaced directory empty; the outcome is the order <see cref="StateStoreChange"/> specifies.
/// S3 has no directories: a file and a "directory" of the same name can both exist (unlike a Git tree or a folder), as
/// with upstream's writer. Requests are path-style, signed with SigV4 over the whole payload (no aws-chunked streaming,
/// which some S3-compatible servers do not decode), and retried on transient failures by the SDK. Calls are serialised.
/// </summary>
public sealed class S3StateStoreWriter : IStateStoreWriter
{
    /// <summary>The key (under the base path) of the multipart upload the permission check starts and aborts; as upstream.</summary>
    public const string PermissionCheckName = ".kratix-write-permission-check";

    // DeleteObjects takes at most this many keys per request.
    private const int DeleteBatchSize = 1000;

    private readonly S3StateStoreOptions _options;
    private readonly AmazonS3Client _client;
    private readonly S3Failure _failure;
    private readonly string _prefix;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    public S3StateStoreWriter(S3StateStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.BucketName))
        {
            throw new KratixException("StateStoreOptionsInvalid", KratixErrorCategory.InvalidArgument, "An S3 state store needs a bucket name (spec.bucketName).");
        }

        _options = options;
        var basePath = StatePaths.Normalize(options.BasePath, "state store's spec.path", allowRoot: true);
        _prefix = basePath.Length == 0 ? "" : basePath + "/";
        Location = $"the S3 bucket '{options.BucketName}' at {options.ServiceUrl.GetLeftPart(UriPartial.Authority)}" + (_prefix.Length == 0 ? "" : $" (under '{_prefix}')");
        _failure = new S3Failure(options, Location);

        var config = new AmazonS3Config
        {
            ServiceURL = options.ServiceUrl.GetLeftPart(UriPartial.Authority),
            // Path-style (<endpoint>/<bucket>/<key>): S3-compatible servers rarely have a DNS name per bucket.
            ForcePathStyle = true,
            // Checksums only where an operation requires one: the newer default (WHEN_SUPPORTED) adds CRC checksums sent as
            // trailers of aws-chunked uploads, which S3-compatible servers often reject. AWSSDK.S3 3.7.304 predates that
            // default, but AWSSDK.Core 3.7.402 has the settings; pinning them keeps an SDK upgrade from changing requests.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = options.MaxRetries,
            Timeout = options.RequestTimeout,
        };
        if (options.Region is { Length: > 0 } region)
        {
            config.AuthenticationRegion = region;
        }

        AWSCredentials awsCredentials;
        try
        {
            awsCredentials = options.Credentials is { } credentials
                ? new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey)
                : S3DefaultCredentials.Resolve();
        }
        catch (AmazonClientException e)
        {
            // IAM: no source in the SDK's default credential chain has credentials.
            throw _failure.NoCredentials(e);
        }

        _client = new AmazonS3Client(awsCredentials, config);
    }

    /// <summary>The bucket, endpoint and base path, as messages name them.</summary>
    public string Location { get; }

    public async Task<StateStoreWriteResult> WriteAsync(IReadOnlyList<StateStoreChange> changes, CancellationToken cancellationToken = default)
    {
        var validated = StatePaths.ValidateChanges(changes);
        return await LockedAsync(async () =>
        {
            var altered = new List<int>();
            for (var i = 0; i < validated.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await ApplyAsync(validated[i], cancellationToken).ConfigureAwait(false))
                {
                    altered.Add(i);
                }
            }

            // Upstream's versionID for a bucket hashes the S3 version ids of its PUTs, constant on a bucket without
            // versioning; none is reported here, as for a directory.
            return new StateStoreWriteResult(null, altered.Count > 0, altered.Count, altered);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]?> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var key = Key(StatePaths.Normalize(path, "read request"));
        return await LockedAsync(async () =>
        {
            try
            {
                using var response = await _client.GetObjectAsync(_options.BucketName, key, cancellationToken).ConfigureAwait(false);
                using var content = new MemoryStream();
                await response.ResponseStream.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
                return content.ToArray();
            }
            catch (Exception e) when (S3Failure.IsNotFound(e))
            {
                return null;
            }
            catch (Exception e) when (S3Failure.IsStoreFailure(e, cancellationToken))
            {
                throw _failure.For("StateStoreReadFailed", KratixErrorCategory.ReadError, $"read '{key}'", e);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListFilesAsync(string directory, CancellationToken cancellationToken = default)
    {
        var relative = StatePaths.Normalize(directory, "list request", allowRoot: true);
        var prefix = relative.Length == 0 ? _prefix : Key(relative) + "/";
        return await LockedAsync(async () =>
        {
            var files = new List<string>();
            foreach (var (key, _) in await ListAsync(prefix, "StateStoreReadFailed", cancellationToken).ConfigureAwait(false))
            {
                // Folder markers ("a/") and keys that are no state path (made by other tools) are not files of the store.
                var path = key[_prefix.Length..];
                if (IsStatePath(path))
                {
                    files.Add(path);
                }
            }

            files.Sort(StringComparer.Ordinal);
            return (IReadOnlyList<string>)files;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task ValidatePermissionsAsync(CancellationToken cancellationToken = default) =>
        (await CheckAccessAsync(cancellationToken).ConfigureAwait(false)).ThrowIfDenied();

    /// <summary>
    /// Read access: listing the keys under the base path (at most one). Write access: starting a multipart upload of
    /// <see cref="PermissionCheckName"/> under the base path and aborting it, as upstream does; an upload that is never
    /// completed stores no object. A server that refuses the abort (some S3-compatible servers do not implement it) still
    /// counts as writable, as upstream: the message says so. When reading fails, writing is not tried.
    /// </summary>
    public async Task<StateStoreAccess> CheckAccessAsync(CancellationToken cancellationToken = default)
    {
        return await LockedAsync(async () =>
        {
            try
            {
                await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _options.BucketName, Prefix = _prefix, MaxKeys = 1 }, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (S3Failure.IsStoreFailure(e, cancellationToken))
            {
                var error = _failure.For("StateStoreNotReadable", KratixErrorCategory.PermissionDenied, "list the objects", e);
                return new StateStoreAccess(false, false, error.Message + " Write access was not checked.", error);
            }

            var probe = _prefix + PermissionCheckName;
            string uploadId;
            try
            {
                var started = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _options.BucketName, Key = probe }, cancellationToken)
                    .ConfigureAwait(false);
                uploadId = started.UploadId;
            }
            catch (Exception e) when (S3Failure.IsStoreFailure(e, cancellationToken))
            {
                var error = _failure.For("StateStoreNotWritable", KratixErrorCategory.PermissionDenied, $"start a multipart upload of '{probe}' (the write permission check)", e);
                return new StateStoreAccess(true, false, error.Message, error);
            }

            string aborted;
            try
            {
                await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _options.BucketName, Key = probe, UploadId = uploadId }, CancellationToken.None)
                    .ConfigureAwait(false);
                aborted = "and aborted it";
            }
            catch (Exception e) when (S3Failure.IsStoreFailure(e, CancellationToken.None))
            {
                var answer = e is AmazonS3Exception s3 ? $"{s3.ErrorCode} (HTTP {(int)s3.StatusCode})" : e.GetType().Name;
                aborted = $"but the server refused to abort it ({answer}); an incomplete upload stores no object, and the bucket's lifecycle rules remove it";
            }

            return new StateStoreAccess(true, true,
                $"Listed {Location}, and started a multipart upload of '{probe}' {aborted}.", null);
        }, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _client.Dispose();
            // Do not dispose the semaphore: a call racing with disposal must still be able to release it.
        }

        return ValueTask.CompletedTask;
    }

    private async Task<bool> ApplyAsync(ValidatedChange change, CancellationToken cancellationToken)
    {
        var files = change.Files.ToDictionary(f => Key(f.Path), StringComparer.Ordinal);

        // What the change removes, and the ETags the listings found (so those files need no lookup of their own).
        var remove = new SortedSet<string>(StringComparer.Ordinal);
        var etags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var directory in change.Deletions.Append(change.ReplaceDirectory).OfType<string>())
        {
            var key = Key(directory);
            // One listing serves both "the object named so" and "everything under it"; siblings that merely share the
            // prefix ("a/b2" for "a/b") are filtered out.
            foreach (var (listed, etag) in await ListAsync(key, "StateStoreWriteFailed", cancellationToken).ConfigureAwait(false))
            {
                if (listed != key && !listed.StartsWith(key + "/", StringComparison.Ordinal))
                {
                    continue;
                }

                etags[listed] = etag;
                if (!files.ContainsKey(listed))
                {
                    remove.Add(listed);
                }
            }
        }

        var changed = false;
        foreach (var (key, file) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var md5 = MD5.HashData(file.Content);
            var etag = etags.TryGetValue(key, out var listed) ? listed : await ETagAsync(key, cancellationToken).ConfigureAwait(false);
            if (etag is not null && etag.Trim('"').Equals(Convert.ToHexString(md5), StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            await PutAsync(key, file.Content, md5, change.Description, cancellationToken).ConfigureAwait(false);
            changed = true;
        }

        if (remove.Count > 0)
        {
            await DeleteAsync(remove.ToList(), change.Description, cancellationToken).ConfigureAwait(false);
            changed = true;
        }

        return changed;
    }

    /// <summary>
    /// The object's ETag, or null when there is no such object. A listing of the key as a prefix (the key itself sorts
    /// first) rather than upstream's HEAD: a HEAD answer has no body, so its errors come without S3's error code
    /// (SignatureDoesNotMatch, AccessDenied and SlowDown would all read "403" or "503").
    /// </summary>
    private async Task<string?> ETagAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _options.BucketName, Prefix = key, MaxKeys = 1 }, cancellationToken)
                .ConfigureAwait(false);
            return response.S3Objects?.FirstOrDefault() is { } found && found.Key == key ? found.ETag ?? "" : null;
        }
        catch (Exception e) when (S3Failure.IsStoreFailure(e, cancellationToken))
        {
            throw _failure.For("StateStoreWriteFailed", KratixErrorCategory.WriteError, $"look up '{key}'", e);
        }
    }

    private async Task PutAsync(string key, byte[] content, byte[] md5, string description, CancellationToken cancellationToken)
    {
        try
        {
            using var body = new MemoryStream(content, writable: false);
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _options.BucketName,
                Key = key,
                InputStream = body,
                // The SDK signs a PUT as aws-chunked by default; many S3-compatible servers store the chunk framing as
                // the content. The payload is in memory, so sign its SHA-256 whole.
                UseChunkEncoding = false,
                // The server checks the content against this MD5 (BadDigest otherwise). The SDK's own check compares the
                // ETag with an MD5 it computes, which fails on servers whose ETags are not MD5s (encrypted buckets).
                MD5Digest = Convert.ToBase64String(md5),
                DisableDefaultChecksumValidation = true,
                AutoCloseStream = false,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (S3Failure.IsStoreFailure(e, cancellationToken))
        {
            throw _failure.For("StateStoreWriteFailed", KratixErrorCategory.WriteError, $"write '{key}' (change '{description}')", e);
        }
    }

    private async Task DeleteAsync(IReadOnlyList<string> keys, string description, CancellationToken cancellationToken)
    {
        for (var start = 0; start < keys.Count; start += DeleteBatchSize)
        {
            var batch = keys.Skip(start).Take(DeleteBatchSize).ToList();
            IReadOnlyList<DeleteError> errors;
            try
            {
                var response = await _client.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = _options.BucketName,
                    Objects = batch.Select(k => new KeyVersion { Key = k }).ToList(),
                    Quiet = true,
                }, cancellationToken).ConfigureAwait(false);
                errors = response.DeleteErrors ?? [];
            }
            catch (DeleteObjectsException e)
            {
                errors = e.Response?.DeleteErrors ?? [];
                if (errors.Count == 0)
                {
                    throw _failure.For("StateStoreWriteFailed", KratixErrorCategory.WriteError, $"delete {batch.Count} object(s) (change '{description}')", e);
                }
            }
            catch (Exception e) when (S3Failure.IsStoreFailure(e, cancellationToken))
            {
                throw _failure.For("StateStoreWriteFailed", KratixErrorCategory.WriteError, $"delete {batch.Count} object(s) (change '{description}')", e);
            }

            if (errors.Count > 0)
            {
                var first = errors[0];
                var failure = new AmazonS3Exception(first.Message) { ErrorCode = first.Code, StatusCode = System.Net.HttpStatusCode.Forbidden };
                throw _failure.For("StateStoreWriteFailed", KratixErrorCategory.WriteError,
                    $"delete {errors.Count} of {batch.Count} object(s), '{first.Key}' first (change '{description}')", failure);
            }
        }
    }

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, with its ETag, page by page.</summary>
    private async Task<List<(string Key, string ETag)>> ListAsync(string prefix, string errorId, CancellationToken cancellationToken)
    {
        var objects = new List<(string, string)>();
        var request = new ListObjectsV2Request { BucketName = _options.BucketName, Prefix = prefix };
        try
        {
            ListObjectsV2Response response;
            do
            {
                response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                objects.AddRange((response.S3Objects ?? []).Select(o => (o.Key, o.ETag ?? "")));
                request.ContinuationToken = response.NextContinuationToken;
            }
            while (response.IsTruncated && !string.IsNullOrEmpty(response.NextContinuationToken));
        }
        catch (Exception e) when (S3Failure.IsStoreFailure(e, cancellationToken))
        {
            throw _failure.For(errorId, errorId == "StateStoreReadFailed" ? KratixErrorCategory.ReadError : KratixErrorCategory.WriteError,
                $"list the objects under '{prefix}'", e);
        }

        return objects;
    }

    private string Key(string path) => _prefix + path;

    private static bool IsStatePath(string path)
    {
        try
        {
            return StatePaths.Normalize(path, "listing") == path;
        }
        catch (KratixException)
        {
            return false;
        }
    }

    private async Task<T> LockedAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await action().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
