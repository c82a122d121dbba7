"""Spider base classes, one per publishing platform (CMS). A site's spider is a short subclass in spiders/."""
