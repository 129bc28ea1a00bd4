namespace Kratix.StateStores;

/// <summary>
/// A user name and a password as given to <c>Register-KratixStateStore -Credential</c> (or a token alone, with no user
/// name, from <c>-Token</c>), before the store they are for is known. For a GitStateStore they become
/// <see cref="GitBasicCredentials"/> (the user and the password or token); for a BucketStateStore on S3,
/// <see cref="BucketCredentials"/> (the user is the access key id, the password the secret access key).
/// </summary>
public sealed class PasswordCredentials : StateStoreCredentials
{
    public PasswordCredentials(string? userName, string password)
    {
        UserName = string.IsNullOrEmpty(userName) ? null : userName;
        Password = password ?? "";
        if (Password.Length == 0)
        {
            throw new KratixException("StateStoreCredentialsInvalid", KratixErrorCategory.InvalidArgument,
                "The password (or token, or secret access key) is empty.");
        }
    }

    /// <summary>The user name, or null when only a token was given.</summary>
    public string? UserName { get; }

    public string Password { get; }

    public override string ToString() => UserName is null ? "a token" : $"a password for '{UserName}'";
}
