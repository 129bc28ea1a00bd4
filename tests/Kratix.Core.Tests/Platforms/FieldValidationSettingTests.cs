using Kratix.Platforms;
using Kratix.Platforms.Embedded;
using Kratix.Schema;

namespace Kratix.Tests.Platforms;

public class FieldValidationSettingTests
{
    [Fact]
    public void FieldValidation_DefaultsToStrict_IsSaved_AndReadBack()
    {
        var home = Path.Combine(Path.GetTempPath(), "kratix-fv-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Assert.Equal(FieldValidationMode.Strict, PlatformSettings.Load(home).FieldValidation);
            new PlatformSettings().With(fieldValidation: FieldValidationMode.Warn).Save(home);
            Assert.Contains("fieldValidation: Warn", File.ReadAllText(Path.Combine(home, PlatformSettings.FileName)));
            Assert.Equal(FieldValidationMode.Warn, PlatformSettings.Load(home).FieldValidation);
            Assert.Equal(FieldValidationMode.Warn, EmbeddedPlatform.OptionsFor(home, NullPlatformLog.Instance).FieldValidation);

            File.WriteAllText(Path.Combine(home, PlatformSettings.FileName), "fieldValidation: Lax\n");
            var ex = Assert.Throws<KratixException>(() => PlatformSettings.Load(home));
            Assert.Equal("PlatformSettingsInvalid", ex.ErrorId);
        }
        finally
        {
            if (Directory.Exists(home))
            {
                Directory.Delete(home, recursive: true);
            }
        }
    }
}
