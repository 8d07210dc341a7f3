using Terminal.Gui.Drawing;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace EbpfConsole.Tui;

/// <summary>
/// Colours of the console. With NO_COLOR every view uses the terminal's own colours and marks focus and hot
/// keys with reverse video, bold and underline only, and nothing casts a shadow; glyphs and words carry the
/// meaning either way.
/// </summary>
public static class Theme
{
    private static readonly Color Default = Color.None;

    public static Scheme Monochrome { get; } = new()
    {
        Normal = Plain(TextStyle.None),
        HotNormal = Plain(TextStyle.Underline),
        Focus = Plain(TextStyle.Reverse),
        HotFocus = Plain(TextStyle.Reverse | TextStyle.Underline),
        Active = Plain(TextStyle.Reverse | TextStyle.Bold),
        HotActive = Plain(TextStyle.Reverse | TextStyle.Bold | TextStyle.Underline),
        Highlight = Plain(TextStyle.Bold),
        Editable = Plain(TextStyle.None),
        ReadOnly = Plain(TextStyle.None),
        Disabled = Plain(TextStyle.Faint),
    };

    /// <summary>Applies the monochrome scheme to <paramref name="view"/> and every view under it when <paramref name="noColor"/>.</summary>
    public static void Apply(View view, bool noColor)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!noColor)
        {
            return;
        }

        view.SetScheme(Monochrome);

        // Shadows are drawn in derived colours (yellow on black here): none without colour.
        view.ShadowStyle = ShadowStyles.None;
        // Dialog buttons live in the dialog's padding, not among its subviews.
        var buttons = view is Dialog dialog ? dialog.Buttons : [];
        foreach (var sub in view.SubViews.Concat(buttons))
        {
            Apply(sub, noColor);
        }
    }

    private static Attribute Plain(TextStyle style) => new(Default, Default, style);
}
