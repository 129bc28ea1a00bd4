using System.Net;
using Amazon.Runtime;
using Amazon.S3;

namespace Kratix.StateStores;

/// <summary>
/// Turns what the AWS SDK throws into a <see cref="KratixException"/> whose message names the bucket and the endpoint,
/// says what S3 answered and what to do about it. The secret access key is masked from every message (S3 never echoes
/// it, but a message must not depend on that).
/// </summary>
internal sealed class S3Failure(S3StateStoreOptions options, string where)
{
    /// <summary>True for what the writer reports as a failure of the store (S3 errors, network errors, timeouts); false for bugs and cancellation.</summary>
    public static bool IsStoreFailure(Exception e, CancellationToken cancellationToken) =>
        e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>True when S3 answered that the object does not exist.</summary>
    public static bool IsNotFound(Exception e) =>
        e is AmazonS3Exception { StatusCode: HttpStatusCode.NotFound } s3 && s3.ErrorCode is "NoSuchKey" or "NotFound" or null or "";

    /// <summary>
    /// The error for a failed <paramref name="action"/> ("write 'a/b.yaml'", "list the objects under 'p/'"): the bucket,
    /// the endpoint, S3's answer and advice for the error codes a misconfiguration produces.
    /// </summary>
    public KratixException For(string errorId, KratixErrorCategory category, string action, Exception e)
    {
        var (answer, advice) = Explain(e);
        return Masked(errorId, category, $"Could not {action} in {where}: {answer}. {advice}", e);
    }

    /// <summary>The error for authMethod IAM when no source in the SDK's credential chain has credentials.</summary>
    public KratixException NoCredentials(Exception e)
    {
        var (answer, advice) = Explain(e);
        return Masked("StateStoreCredentialsUnusable", KratixErrorCategory.PermissionDenied, $"Found no credentials for {where}: {answer}. {advice}", e);
    }

    private KratixException Masked(string errorId, KratixErrorCategory category, string message, Exception e)
    {
        var secrets = options.Credentials is { } credentials ? new[] { credentials.SecretAccessKey } : [];
        return new KratixException(errorId, category, SecretRedactor.Redact(message, secrets), options.BucketName, e);
    }

    private (string Answer, string Advice) Explain(Exception e)
    {
        var keyId = options.Credentials is { } credentials ? $"the access key id '{credentials.AccessKeyId}'" : "the access key id";
        var retried = $"Retried up to {options.MaxRetries} times.";
        switch (e)
        {
            case AmazonS3Exception s3:
                var answer = $"{(string.IsNullOrEmpty(s3.ErrorCode) ? "error" : s3.ErrorCode)} (HTTP {(int)s3.StatusCode}){(string.IsNullOrEmpty(s3.Message) ? "" : ": " + s3.Message.TrimEnd('.'))}";
                return (answer, s3.ErrorCode switch
                {
                    "InvalidAccessKeyId" => $"The server does not know {keyId} from {options.CredentialsSource}: correct {(options.Credentials is null ? "it" : "accessKeyID")} there.",
                    "SignatureDoesNotMatch" => $"The secret access key from {options.CredentialsSource} does not match {keyId}: correct {(options.Credentials is null ? "it" : "secretAccessKey")} there.",
                    "AccessDenied" or "AllAccessDisabled" =>
                        $"The credentials from {options.CredentialsSource} are not allowed to do this: Kratix needs s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on the bucket.",
                    "NoSuchBucket" => $"Create the bucket '{options.BucketName}' (Kratix does not create buckets), or correct spec.bucketName.",
                    "RequestTimeTooSkewed" => "This machine's clock and the server's differ by more than 15 minutes: correct the clock.",
                    "AuthorizationHeaderMalformed" or "PermanentRedirect" or "IllegalLocationConstraintException" =>
                        "The bucket is in another region than the requests are signed for: set the environment variable AWS_REGION to the bucket's region.",
                    "ExpiredToken" or "InvalidToken" or "TokenRefreshRequired" => $"The credentials from {options.CredentialsSource} have expired: renew them.",
                    _ when (int)s3.StatusCode >= 500 || s3.ErrorCode is "SlowDown" or "Throttling" => $"The server failed or is overloaded. {retried} Try again later.",
                    _ => "Check spec.endpoint, spec.bucketName and the credentials.",
                });
            case AmazonServiceException service:
                return ($"{service.ErrorCode} (HTTP {(int)service.StatusCode}): {service.Message.TrimEnd('.')}", $"Check spec.endpoint and the credentials from {options.CredentialsSource}.");
            case AmazonClientException client when options.Credentials is null && client.Message.Contains("credential", StringComparison.OrdinalIgnoreCase):
                return (client.Message.TrimEnd('.'),
                    "authMethod IAM uses the AWS SDK's default credential chain: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) for the process, or register the store with -Credential (authMethod accessKey).");
            case OperationCanceledException:
                return ($"no answer within {options.RequestTimeout.TotalSeconds:0} s", $"{retried} Check that {options.ServiceUrl} is the server (spec.endpoint) and that it is reachable.");
            default:
                var reason = e.InnerException is { } inner && e is HttpRequestException ? $"{e.Message.TrimEnd('.')} ({inner.Message.TrimEnd('.')})" : e.Message.TrimEnd('.');
                return (reason, $"{retried} Check spec.endpoint ({options.ServiceUrl}: https unless spec.insecure is true) and that the server is reachable.");
        }
    }
}
