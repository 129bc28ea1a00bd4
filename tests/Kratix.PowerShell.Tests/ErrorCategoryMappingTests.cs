using System.Management.Automation;

namespace Kratix.PowerShell.Tests;

/// <summary>KratixCmdlet.Map: every engine error category becomes its own PowerShell ErrorCategory.</summary>
public class ErrorCategoryMappingTests
{
    public static TheoryData<KratixErrorCategory> Categories
    {
        get
        {
            var data = new TheoryData<KratixErrorCategory>();
            foreach (var category in Enum.GetValues<KratixErrorCategory>())
            {
                data.Add(category);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Categories))]
    public void Each_category_maps_to_the_PowerShell_category_of_the_same_name(KratixErrorCategory category)
    {
        Assert.True(Enum.TryParse<ErrorCategory>(category.ToString(), out var expected), $"ErrorCategory has no {category}; map it to the closest one and change this test.");
        Assert.Equal(expected, KratixCmdlet.Map(category));
    }

    [Fact]
    public void Only_NotSpecified_maps_to_NotSpecified_and_no_two_categories_share_one()
    {
        var mapped = Enum.GetValues<KratixErrorCategory>().ToDictionary(c => c, KratixCmdlet.Map);
        Assert.Equal(ErrorCategory.NotSpecified, mapped[KratixErrorCategory.NotSpecified]);
        var unmapped = mapped.Where(m => m.Key != KratixErrorCategory.NotSpecified && m.Value == ErrorCategory.NotSpecified).Select(m => m.Key).ToList();
        Assert.True(unmapped.Count == 0, $"KratixCmdlet.Map does not map {string.Join(", ", unmapped)}.");
        Assert.Equal(mapped.Count, mapped.Values.Distinct().Count());
    }

    [Fact]
    public void A_category_the_engine_does_not_know_is_NotSpecified()
    {
        Assert.Equal(ErrorCategory.NotSpecified, KratixCmdlet.Map((KratixErrorCategory)1000));
    }
}
