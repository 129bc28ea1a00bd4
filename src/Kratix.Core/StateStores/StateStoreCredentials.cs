namespace Kratix.StateStores;

/// <summary>
/// Credentials for a state store: <see cref="GitCredentials"/> for a Git repository, <see cref="BucketCredentials"/> for an
/// S3 bucket, or <see cref="PasswordCredentials"/>, a user name and password given on the command line whose meaning the
/// store's kind decides. These are classes, not records, so that no generated <c>ToString</c> ever prints a secret.
/// </summary>
public abstract class StateStoreCredentials
{
    private protected StateStoreCredentials()
    {
    }

    /// <summary>Never the secret: the kind of credential, for diagnostics.</summary>
    public abstract override string ToString();
}
