namespace Kratix.Tests.StateStores;

/// <summary>
/// The tests that use an <see cref="S3Server"/> share one (starting node costs a second) and run one class at a time,
/// because the IAM tests set the process's AWS_* environment variables.
/// </summary>
[CollectionDefinition(Name)]
public sealed class S3ServerCollection : ICollectionFixture<S3Server>
{
    public const string Name = "S3 server";
}
