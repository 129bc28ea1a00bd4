using Amazon.Runtime;

namespace Kratix.StateStores;

/// <summary>
/// authMethod IAM: the AWS SDK's default credential chain (in its order: web identity, the AWS_PROFILE or default
/// profile of the shared credentials and config files, the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY variables, then a
/// container or EC2 instance role), walked afresh for each writer. The SDK's
/// own <see cref="FallbackCredentialsFactory"/> keeps the first source it finds for the whole process, so an
/// <c>$env:AWS_ACCESS_KEY_ID</c> set or removed later in a PowerShell session would never be seen.
/// </summary>
internal sealed class S3DefaultCredentials : AWSCredentials
{
    private readonly AWSCredentials _source;

    private S3DefaultCredentials(AWSCredentials source) => _source = source;

    /// <summary>The first source in the chain that has credentials; an <see cref="AmazonClientException"/> saying what each lacked when none has.</summary>
    public static AWSCredentials Resolve()
    {
        var problems = new List<string>();
        foreach (var generate in FallbackCredentialsFactory.CredentialsGenerators)
        {
            try
            {
                if (generate() is { } found)
                {
                    return new S3DefaultCredentials(found);
                }
            }
            catch (ArgumentException)
            {
                // Web identity without AWS_WEB_IDENTITY_TOKEN_FILE: not configured, nothing worth saying.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // As the SDK's own chain does: a source that fails has nothing, and says why ("the environment variables ...
                // were not set", "unable to find the default profile"); none of these messages holds a secret.
                problems.Add(e.Message.TrimEnd('.'));
            }
        }

        throw new AmazonClientException($"No AWS credentials were found in the default credential chain: {string.Join("; ", problems)}.");
    }

    // A source can fail later too (the variables were removed, a role could not be assumed); the SDK reports that as an
    // InvalidOperationException, which would read as a bug: make it the client error it is.
    public override ImmutableCredentials GetCredentials()
    {
        try
        {
            return _source.GetCredentials();
        }
        catch (InvalidOperationException e)
        {
            throw new AmazonClientException($"Could not get AWS credentials from the default credential chain: {e.Message}", e);
        }
    }

    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        try
        {
            return await _source.GetCredentialsAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new AmazonClientException($"Could not get AWS credentials from the default credential chain: {e.Message}", e);
        }
    }
}
