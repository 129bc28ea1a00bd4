using Kratix.Admission;
using Kratix.StateStores;
using static Kratix.Tests.Platforms.PlatformFixture;

namespace Kratix.Tests.StateStores;

/// <summary>What a BucketStateStore's spec.endpoint names (S3 server or directory), and how admission refuses the rest.</summary>
public sealed class BucketEndpointTests
{
    [Theory]
    [InlineData("s3.amazonaws.com", false, "https://s3.amazonaws.com/")]
    [InlineData("minio.kratix-platform-system.svc.cluster.local:80", true, "http://minio.kratix-platform-system.svc.cluster.local/")]
    [InlineData("127.0.0.1:9000", true, "http://127.0.0.1:9000/")]
    [InlineData("127.0.0.1:9000", false, "https://127.0.0.1:9000/")]
    [InlineData("[::1]:9000", true, "http://[::1]:9000/")]
    [InlineData("minio", false, "https://minio/")]
    [InlineData("http://minio.example.com:9000", false, "http://minio.example.com:9000/")]
    [InlineData("https://minio.example.com/", true, "https://minio.example.com/")]
    public void Host_port_and_http_urls_are_S3_servers(string endpoint, bool insecure, string serviceUrl)
    {
        var parsed = BucketEndpoint.Parse(endpoint, insecure);

        Assert.True(parsed.IsS3);
        Assert.Null(parsed.Directory);
        Assert.Equal(serviceUrl, parsed.ServiceUrl!.ToString());
    }

    [Theory]
    [InlineData("/var/kratix/buckets")]
    [InlineData("./buckets")]
    [InlineData("../buckets")]
    [InlineData("state/buckets")]
    [InlineData(@"C:\kratix\buckets")]
    [InlineData("file:///var/kratix/buckets")]
    public void Paths_and_file_urls_are_directories(string endpoint)
    {
        var parsed = BucketEndpoint.Parse(endpoint, insecure: false);

        Assert.False(parsed.IsS3);
        Assert.True(Path.IsPathRooted(parsed.Directory));
    }

    [Theory]
    [InlineData("", "Required value")]
    [InlineData("s3://bucket", "the scheme 's3' is not supported")]
    [InlineData("https://minio.example.com/kratix", "scheme://host[:port] with nothing after it")]
    [InlineData("https://minio.example.com?x=1", "scheme://host[:port] with nothing after it")]
    [InlineData("minio:0", "not a host[:port]")]
    [InlineData("minio:99999", "not a host[:port]")]
    [InlineData("minio:http", "not a host[:port]")]
    [InlineData("my bucket", "write ./<folder>")]
    public void Anything_else_is_refused_naming_the_field_and_what_to_write(string endpoint, string reason)
    {
        var error = Assert.Throws<KratixException>(() => BucketEndpoint.Parse(endpoint, insecure: false));

        Assert.Equal("StateStoreEndpointInvalid", error.ErrorId);
        Assert.StartsWith("spec.endpoint: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_in_an_endpoint_url_are_refused_and_never_echoed()
    {
        var error = Assert.Throws<KratixException>(() => BucketEndpoint.Parse("https://AKIA:very-secret@minio.example.com", insecure: false));

        Assert.Contains("credentials do not belong in the endpoint", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Admission_names_each_field_of_a_bad_bucket_store()
    {
        var error = Assert.Throws<AdmissionException>(() => StateStoreAdmission.Admit(Yaml("""
            apiVersion: platform.kratix.io/v1alpha1
            kind: BucketStateStore
            metadata: {name: s3}
            spec: {endpoint: "s3://x", bucketName: "", insecure: "yes", authMethod: token, secretRef: {name: Not_A_Name}}
            """)));

        Assert.Contains(error.Problems, p => p.StartsWith("spec.endpoint: Invalid value: \"s3://x\": the scheme 's3' is not supported", StringComparison.Ordinal));
        Assert.Contains("spec.bucketName: Required value", error.Problems);
        Assert.Contains("spec.insecure: Invalid value: \"string\": spec.insecure in body must be of type boolean: \"string\"", error.Problems);
        Assert.Contains(error.Problems, p => p.StartsWith("spec.authMethod: Unsupported value: \"token\"", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("spec.secretRef.name: Invalid value", StringComparison.Ordinal));
    }
}
