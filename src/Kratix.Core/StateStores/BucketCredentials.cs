namespace Kratix.StateStores;

/// <summary>
/// An S3 access key: upstream's Secret keys <c>accessKeyID</c> and <c>secretAccessKey</c>. The secret access key signs
/// requests (AWS Signature Version 4) and never travels itself; it is kept out of every message.
/// </summary>
public sealed class BucketCredentials : StateStoreCredentials
{
    public BucketCredentials(string accessKeyId, string secretAccessKey)
    {
        if (string.IsNullOrEmpty(accessKeyId))
        {
            throw Invalid("The access key id is empty.");
        }

        if (string.IsNullOrEmpty(secretAccessKey))
        {
            throw Invalid("The secret access key is empty.");
        }

        // Both go into HTTP headers (the id in Authorization) or an HMAC key: a line break there would be a header injection.
        if (accessKeyId.Any(char.IsControl) || accessKeyId.Any(char.IsWhiteSpace))
        {
            throw Invalid("The access key id contains a space or a control character; access key ids have neither.");
        }

        if (secretAccessKey.Any(char.IsControl))
        {
            throw Invalid("The secret access key contains a control character (a line break?); secret access keys have none.");
        }

        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
    }

    /// <summary>The access key id (not a secret: it is sent with every request and may appear in messages).</summary>
    public string AccessKeyId { get; }

    public string SecretAccessKey { get; }

    public override string ToString() => $"the access key '{AccessKeyId}'";

    private static KratixException Invalid(string message) =>
        new("StateStoreCredentialsInvalid", KratixErrorCategory.InvalidArgument, message);
}
