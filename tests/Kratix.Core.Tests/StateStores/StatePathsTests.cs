using System.Text;
using Kratix.StateStores;

namespace Kratix.Tests.StateStores;

public class StatePathsTests
{
    [Theory]
    [InlineData("a.yaml", "a.yaml")]
    [InlineData("./a.yaml", "a.yaml")]
    [InlineData(@"dir\sub\a.yaml", "dir/sub/a.yaml")]
    [InlineData("dir//sub/./a.yaml", "dir/sub/a.yaml")]
    [InlineData("dir/../other/a.yaml", "other/a.yaml")]
    [InlineData("dir/", "dir")]
    [InlineData("résumé/naïve.yaml", "résumé/naïve.yaml")]
    [InlineData(".gitignore", ".gitignore")]
    [InlineData(".github/workflows/x.yaml", ".github/workflows/x.yaml")]
    [InlineData("console.yaml", "console.yaml")]
    [InlineData("COM10", "COM10")]
    public void Normalizes_relative_paths(string input, string expected)
    {
        Assert.Equal(expected, StatePaths.Normalize(input, "change 'test'"));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(".", "root")]
    [InlineData("a/..", "root")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData(@"\\server\share\x", "absolute")]
    [InlineData("C:/x.yaml", "drive letter")]
    [InlineData("c:x.yaml", "drive letter")]
    [InlineData("../x.yaml", "'..'")]
    [InlineData("a/../../x.yaml", "'..'")]
    [InlineData("a/\0b", "NUL")]
    [InlineData("a/b\nc", "control character")]
    [InlineData("a\u001bb", "control character")]
    [InlineData(".git/config", "reserved by Git")]
    [InlineData("x/.GIT/hooks/pre-commit", "reserved by Git")]
    [InlineData("GIT~1/config", "reserved by Git")]
    [InlineData("a/b./c", "ends with a dot")]
    [InlineData("a/b ", "ends with a space")]
    [InlineData("a<b", "'<'")]
    [InlineData("a>b", "'>'")]
    [InlineData("ab:c", "':'")]
    [InlineData("a\"b", "'\"'")]
    [InlineData("a|b", "'|'")]
    [InlineData("a?b", "'?'")]
    [InlineData("a*b", "'*'")]
    [InlineData("CON", "reserved device name")]
    [InlineData("dir/nul.yaml", "reserved device name")]
    [InlineData("Com1.txt", "reserved device name")]
    [InlineData("lpt9", "reserved device name")]
    [InlineData("AUX .yaml", "reserved device name")]
    [InlineData("CONOUT$", "reserved device name")]
    [InlineData("COM\u00B9", "reserved device name")]
    public void Refuses_paths_that_escape_or_cannot_be_held(string input, string reason)
    {
        var error = Assert.Throws<KratixException>(() => StatePaths.Normalize(input, "change 'Update from: wp-1'"));
        Assert.Equal("StateStorePathEscapes", error.ErrorId);
        Assert.Equal(KratixErrorCategory.InvalidArgument, error.Category);
        Assert.Contains("change 'Update from: wp-1'", error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Equal(input, error.Target);
        Assert.False(error.Message.Contains('\0'), "the message must show control characters escaped");
    }

    [Fact]
    public void Refuses_unpaired_surrogates()
    {
        var error = Assert.Throws<KratixException>(() => StatePaths.Normalize("a" + '\ud800' + "b", "change 'x'"));
        Assert.Equal("StateStorePathEscapes", error.ErrorId);
        Assert.Contains("surrogate", error.Message);
        Assert.Equal("a\U0001F600b", StatePaths.Normalize("a\U0001F600b", "change 'x'"));
    }

    [Fact]
    public void Root_is_allowed_only_when_asked()
    {
        Assert.Equal("", StatePaths.Normalize("", "list request", allowRoot: true));
        Assert.Equal("", StatePaths.Normalize("./", "list request", allowRoot: true));
        Assert.Equal("", StatePaths.Normalize(null, "list request", allowRoot: true));
        Assert.Throws<KratixException>(() => StatePaths.Normalize("../x", "list request", allowRoot: true));
    }

    [Fact]
    public void Validation_names_the_change_and_the_path_and_checks_every_change()
    {
        var changes = new[]
        {
            Change("Update from: good", ("ok.yaml", "x")),
            new StateStoreChange("Delete from: bad", [], ["resources/../../../etc"]),
        };
        var error = Assert.Throws<KratixException>(() => StatePaths.ValidateChanges(changes));
        Assert.Equal("StateStorePathEscapes", error.ErrorId);
        Assert.Contains("'Delete from: bad'", error.Message);
        Assert.Contains("resources/../../../etc", error.Message);
    }

    [Fact]
    public void A_change_cannot_write_the_same_file_twice_or_a_file_inside_a_file()
    {
        var twice = Assert.Throws<KratixException>(() => StatePaths.ValidateChanges([Change("c", ("a/b.yaml", "1"), (@"a\b.yaml", "2"))]));
        Assert.Equal("StateStorePathConflict", twice.ErrorId);

        var nested = Assert.Throws<KratixException>(() => StatePaths.ValidateChanges([Change("c", ("a", "1"), ("a/b.yaml", "2"))]));
        Assert.Equal("StateStorePathConflict", nested.ErrorId);
        Assert.Contains("'a'", nested.Message);
    }

    [Fact]
    public void A_change_needs_a_description()
    {
        var error = Assert.Throws<KratixException>(() => StatePaths.ValidateChanges([Change(" ", ("a", "1"))]));
        Assert.Equal("StateStoreChangeInvalid", error.ErrorId);
    }

    [Fact]
    public void Replace_directory_and_deletions_are_normalised_too()
    {
        var validated = StatePaths.ValidateChanges([new StateStoreChange("c", [new StateStoreFile(@".\d\x.yaml", [])], [@"old\dir\"], "./d/")]);
        Assert.Equal("d/x.yaml", validated[0].Files[0].Path);
        Assert.Equal("old/dir", validated[0].Deletions[0]);
        Assert.Equal("d", validated[0].ReplaceDirectory);
    }

    internal static StateStoreChange Change(string description, params (string Path, string Content)[] files) =>
        new(description, files.Select(f => new StateStoreFile(f.Path, Encoding.UTF8.GetBytes(f.Content))).ToList(), []);
}

public class SecretRedactorTests
{
    [Theory]
    [InlineData("fatal: unable to access 'https://user:s3cret@example.com/repo.git/'", "fatal: unable to access 'https://***@example.com/repo.git/'")]
    [InlineData("https://ghp_token123@github.com/org/repo", "https://***@github.com/org/repo")]
    [InlineData("ssh://git:pa55@host/repo", "ssh://git:***@host/repo")]
    [InlineData("ssh://git@host/repo", "ssh://git@host/repo")]
    [InlineData("git@github.com:org/repo.git", "git@github.com:org/repo.git")]
    [InlineData("/srv/git/state.git", "/srv/git/state.git")]
    public void Masks_credentials_in_urls(string input, string expected)
    {
        Assert.Equal(expected, SecretRedactor.Redact(input));
    }
}
