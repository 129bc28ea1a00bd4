using System.Management.Automation;
using System.Security;

namespace Kratix.PowerShell.Tests;

/// <summary>The credential parameters of Register-KratixStateStore and the shape of Test-KratixStateStore, read by reflection.</summary>
public class StateStoreCmdletTests
{
    private static CmdletDefinition Register => CmdletMetadata.Get("Register-KratixStateStore");

    private static CmdletDefinition Test => CmdletMetadata.Get("Test-KratixStateStore");

    [Theory]
    [InlineData("Credential", typeof(PSCredential), true)]
    [InlineData("Token", typeof(SecureString), false)]
    [InlineData("SshKeyPath", typeof(string), false)]
    [InlineData("KnownHostsPath", typeof(string), false)]
    public void Credentials_are_optional_for_every_Git_form_an_access_key_for_a_bucket_and_none_for_a_directory(string name, Type type, bool forBuckets)
    {
        var parameter = Register.Parameter(name)!;
        Assert.Equal(type, parameter.Type);
        string[] sets = forBuckets ? ["Bucket", "Git", "InputObject", "LiteralPath", "Path"] : ["Git", "InputObject", "LiteralPath", "Path"];
        Assert.Equal(sets, parameter.Sets.Select(s => s.SetName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(parameter.Sets, s => s.Mandatory || s.ValueFromPipeline || s.ValueFromPipelineByPropertyName || s.Position is not null);
    }

    [Fact]
    public void An_S3_bucket_is_registered_by_endpoint_and_bucket_name()
    {
        foreach (var name in new[] { "Endpoint", "BucketName" })
        {
            var parameter = Register.Parameter(name)!;
            Assert.Equal(typeof(string), parameter.Type);
            Assert.Equal(["Bucket"], parameter.Sets.Select(s => s.SetName));
            Assert.True(parameter.Sets.Single().Mandatory, $"-{name} is needed to name an S3 bucket.");
        }

        Assert.Equal(typeof(SwitchParameter), Register.Parameter("Insecure")!.Type);
        Assert.Contains("Bucket", Register.Parameter("StorePath")!.Sets.Select(s => s.SetName));
    }

    [Fact]
    public void A_secret_is_never_a_plain_string_parameter()
    {
        // Passwords and tokens come as PSCredential or SecureString, so they are not echoed by the host or kept in history as text.
        Assert.NotNull(CmdletMetadata.Attribute<CredentialAttribute>(Register.Parameter("Credential")!.Property));
        foreach (var cmdlet in CmdletMetadata.All)
        {
            foreach (var parameter in cmdlet.Parameters.Where(p => p.Name is "Password" or "Token" or "Secret"))
            {
                Assert.NotEqual(typeof(string), parameter.Type);
            }
        }
    }

    [Fact]
    public void Test_KratixStateStore_takes_what_Get_KratixStateStore_outputs_and_tests_everything_without_a_name()
    {
        var name = Test.Parameter("Name")!;
        Assert.Equal(typeof(string[]), name.Type);
        Assert.True(name.ValueFromPipelineByPropertyName);
        Assert.True(name.SupportsWildcards);
        Assert.DoesNotContain(name.Sets, s => s.Mandatory);
        var kind = Test.Parameter("Kind")!;
        Assert.True(kind.ValueFromPipelineByPropertyName);
        Assert.False(Test.SupportsShouldProcess);
        Assert.Equal(["Kratix.StateStoreTest"], Test.OutputTypeNames);
    }
}
