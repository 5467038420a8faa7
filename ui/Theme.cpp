#include "Theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>
#include <QWidget>

namespace hookline {

bool Theme::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightnessF() < 0.5;
}

QColor Theme::color(Tone tone, const QPalette &palette)
{
    // Light: at least 4.5:1 against white; dark: the same against #2b2b2b.
    const bool dark = isDark(palette);
    switch (tone) {
    case Tone::Success: return dark ? QColor(0x7c, 0xd9, 0x92) : QColor(0x17, 0x6f, 0x35);
    case Tone::Warning: return dark ? QColor(0xff, 0xc0, 0x66) : QColor(0x8a, 0x53, 0x00);
    case Tone::Error: return dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb3, 0x26, 0x1e);
    case Tone::Muted: return dark ? QColor(0xa8, 0xa8, 0xa8) : QColor(0x5f, 0x5f, 0x5f);
    case Tone::Normal: break;
    }
    return palette.color(QPalette::WindowText);
}

QColor Theme::color(Tone tone)
{
    return color(tone, QApplication::palette());
}

QColor Theme::errorBackground(const QPalette &palette)
{
    return isDark(palette) ? QColor(0x5c, 0x22, 0x1d) : QColor(0xf9, 0xde, 0xdc);
}

void Theme::setTone(QWidget *widget, Tone tone)
{
    QPalette palette = widget->parentWidget() ? widget->parentWidget()->palette() : QApplication::palette();
    palette.setColor(QPalette::WindowText, color(tone, palette));
    palette.setColor(QPalette::Text, color(tone, palette));
    widget->setPalette(palette);
}

void Theme::applyPalette(bool dark)
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    if (!dark) {
        QApplication::setPalette(QApplication::style()->standardPalette());
        return;
    }
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2b);
    const QColor base(0x1e, 0x1e, 0x1e);
    const QColor text(0xe8, 0xe8, 0xe8);
    const QColor disabled(0x80, 0x80, 0x80);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x8a, 0x80));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4a, 0x4a));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::Mid, QColor(0x30, 0x30, 0x30));
    p.setColor(QPalette::Dark, QColor(0x1a, 0x1a, 0x1a));
    p.setColor(QPalette::Shadow, QColor(0x10, 0x10, 0x10));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
    p.setColor(QPalette::LinkVisited, QColor(0xc5, 0x8a, 0xf9));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    QApplication::setPalette(p);
}

} // namespace hookline
