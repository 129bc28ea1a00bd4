namespace Kratix.Tests.StateStores;

/// <summary>
/// Sets process environment variables for the life of a test and restores them after. For the AWS SDK's credential
/// chain (authMethod IAM), which reads them: only tests in <see cref="S3ServerCollection"/>, which run one at a time, use it.
/// </summary>
public sealed class EnvironmentScope : IDisposable
{
    private readonly Dictionary<string, string?> _saved = new(StringComparer.Ordinal);

    public EnvironmentScope(IReadOnlyDictionary<string, string?> variables)
    {
        foreach (var (name, value) in variables)
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>
    /// The chain with only an access key in the environment: no shared credentials or config file of the user running the
    /// tests (the SDK reads profiles before the variables), no web identity, and no instance metadata service.
    /// </summary>
    public static EnvironmentScope AwsAccessKey(string accessKeyId, string secretAccessKey, string scratch) => new(new Dictionary<string, string?>
    {
        ["AWS_ACCESS_KEY_ID"] = accessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = secretAccessKey,
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_PROFILE"] = null,
        ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(scratch, "no-aws-credentials"),
        ["AWS_CONFIG_FILE"] = Path.Combine(scratch, "no-aws-config"),
        ["AWS_WEB_IDENTITY_TOKEN_FILE"] = null,
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    });

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
