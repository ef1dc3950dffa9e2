using System.CommandLine;

namespace Embeddings.Cli;

/// <summary>Validation shared by numeric options: a usage error (exit code 1) naming the option.</summary>
internal static class OptionRules
{
    public static Option<int> AtLeastOne(this Option<int> option)
    {
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError($"{option.Name} must be at least 1.");
            }
        });
        return option;
    }

    public static Option<int?> AtLeastOne(this Option<int?> option)
    {
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
            {
                r.AddError($"{option.Name} must be at least 1.");
            }
        });
        return option;
    }
}
