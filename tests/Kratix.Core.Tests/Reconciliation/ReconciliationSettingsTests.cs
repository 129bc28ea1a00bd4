using Kratix.Platforms.Embedded;
using Kratix.Tests.StateStores;

namespace Kratix.Tests.Reconciliation;

/// <summary>The platform's intervals in platform.yaml, under upstream's kratix-config names, and what opening a home makes of them.</summary>
public sealed class ReconciliationSettingsTests : IDisposable
{
    private readonly TempDirectory _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void A_home_without_them_gets_upstreams_defaults()
    {
        var options = EmbeddedPlatform.OptionsFor(_home.Path, Kratix.Platforms.NullPlatformLog.Instance).Reconciliation;

        Assert.Equal(new ReconciliationOptions(), options);
    }

    [Fact]
    public void They_are_read_from_platform_yaml_and_kept_when_other_settings_are_saved()
    {
        File.WriteAllText(Path.Combine(_home.Path, "platform.yaml"), "runtime: Host\nreconciliationInterval: 4h\nstateStoreReconciliationInterval: 0s\nreconcileAfterFailure: false\n");

        var settings = PlatformSettings.Load(_home.Path);
        settings.With(containerTimeout: TimeSpan.FromMinutes(3)).Save(_home.Path);
        var again = EmbeddedPlatform.OptionsFor(_home.Path, Kratix.Platforms.NullPlatformLog.Instance).Reconciliation;

        Assert.Equal(new ReconciliationOptions { Interval = TimeSpan.FromHours(4), StateStoreInterval = TimeSpan.Zero, ReconcileAfterFailure = false }, settings.Reconciliation);
        Assert.Equal(settings.Reconciliation, again);
    }

    [Theory]
    [InlineData("reconciliationInterval: 0s", "reconciliationInterval \"0s\" is not a positive duration")]
    [InlineData("stateStoreReconciliationInterval: soon", "stateStoreReconciliationInterval \"soon\" is not a duration")]
    [InlineData("reconcileAfterFailure: sometimes", "reconcileAfterFailure \"sometimes\" is not true or false")]
    public void A_wrong_value_says_which_key_and_how_to_fix_it(string line, string message)
    {
        File.WriteAllText(Path.Combine(_home.Path, "platform.yaml"), line + "\n");

        var error = Assert.Throws<KratixException>(() => PlatformSettings.Load(_home.Path));

        Assert.Equal("PlatformSettingsInvalid", error.ErrorId);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
