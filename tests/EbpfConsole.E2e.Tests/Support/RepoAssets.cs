namespace EbpfConsole.E2e.Tests.Support;

/// <summary>Files under the repository's assets/ (the tests run from the checkout install.sh built).</summary>
public static class RepoAssets
{
    public static string PathOf(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Console.sln")))
            {
                return Path.Combine(dir.FullName, "assets", relative);
            }
        }

        throw new InvalidOperationException($"no Console.sln above {AppContext.BaseDirectory}: run the tests from the checkout");
    }
}
